/// How a node delivers webhooks: its retry schedule, the time an attempt may take, and how hard it may
/// press one receiver. The pace and the number in flight hold across nodes: they are kept in the
/// metadata store with each endpoint (``WebhookStore/claimWebhookDeliveries(holder:now:limit:pace:lease:)``).
public struct WebhookSettings: Sendable, Hashable {
    public var schedule: WebhookRetrySchedule
    /// The longest one attempt may take, connecting included.
    public var attemptTimeout: Duration
    /// Attempts to one endpoint in flight at once, over every node.
    public var maximumInFlight: Int
    /// Attempts started per second for one endpoint, over every node.
    public var perSecond: Double
    /// How often an idle node looks for due deliveries (another node's changes queue them too).
    public var pollInterval: Duration
    /// The most deliveries a node has started and not finished at once.
    public var nodeConcurrency: Int
    /// Who the node is, in the leases it holds.
    public var holder: String

    public init(
        schedule: WebhookRetrySchedule = .standard, attemptTimeout: Duration = .seconds(15), maximumInFlight: Int = 4, perSecond: Double = 10,
        pollInterval: Duration = .milliseconds(250), nodeConcurrency: Int = 64, holder: String
    ) {
        self.schedule = schedule
        self.attemptTimeout = attemptTimeout
        self.maximumInFlight = maximumInFlight
        self.perSecond = perSecond
        self.pollInterval = pollInterval
        self.nodeConcurrency = nodeConcurrency
        self.holder = holder
    }

    /// How long a claimed delivery is the node's: the attempt's time and a margin; after it, the
    /// delivery is due again (its node died mid-attempt), so it is delivered at least once.
    public var lease: Duration { attemptTimeout + .seconds(5) }

    /// The pace the store holds every node to.
    public var pace: WebhookPace { WebhookPace(maximumInFlight: maximumInFlight, interval: .seconds(1) / perSecond) }
}
