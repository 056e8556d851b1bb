import AttacheCore
import Crypto

/// The share pages' icon (`GET /s/icon.svg`): a page, as the web page's, so a browser asks for no
/// `/favicon.ico`.
enum ShareIcon {
    static let text = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2563eb"/>\
        <path d="M10 6h9l5 5v15H10z" fill="none" stroke="#fff" stroke-width="2.2" stroke-linejoin="round"/>\
        <path d="M18 6v6h6" fill="none" stroke="#fff" stroke-width="2.2" stroke-linejoin="round"/></svg>

        """

    static let etag = "\"" + SHA256.hash(data: Array(text.utf8)).prefix(16).hexString + "\""
}
