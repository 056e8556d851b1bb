import Foundation

/// What a record's title is searched by: folded for case and accents, so `jose` finds "José Núñez"
/// and `CAFÉ` finds "Café de Jong". Stored beside the title, compared by prefix.
public enum TitleSearchKey {
    public static func make(_ title: String) -> String {
        title.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
