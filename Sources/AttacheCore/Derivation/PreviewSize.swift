/// The images made to show content: each fits a square box, never larger than the content itself.
public enum PreviewSize: String, Sendable, Hashable, CaseIterable, Codable {
    /// A thumbnail, for lists: fits 256 × 256 pixels.
    case small
    /// A preview, for a page of its own: fits 1280 × 1280 pixels.
    case large

    /// The side of the box the image fits, in pixels.
    public var box: Int {
        switch self {
        case .small: 256
        case .large: 1280
        }
    }
}
