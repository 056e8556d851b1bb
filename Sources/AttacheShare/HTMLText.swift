/// Text made safe for HTML: every character that could end an element or an attribute is escaped.
struct HTMLText: CustomStringConvertible {
    let escaped: String

    init(_ text: String) {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        escaped = out
    }

    var description: String { escaped }
}
