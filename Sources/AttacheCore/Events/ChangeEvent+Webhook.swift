import AttacheJSON

extension ChangeEvent {
    /// The body of this event's webhook deliveries: its ``ChangeEventPayload`` in JSON, written by the
    /// writer every face answers with, so a delivery and a read of the feed show the event alike.
    public func webhookBody() throws -> [UInt8] {
        try JSONBodyEncoder().encode(ChangeEventPayload(self))
    }
}
