/// An offset-paginated slice with the total count, for faces whose vendor pages by number.
public struct CountedPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}
