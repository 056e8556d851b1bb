import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import Hummingbird

/// The words of the share and drop pages in the languages they speak — English, and Dutch, as the
/// web page does — chosen per request from `Accept-Language` (English when it names neither).
/// Everything a person outside the CRM reads is here, so a third language is one more case.
struct ShareText: Sendable {
    enum Language: String, Sendable, CaseIterable {
        case english = "en"
        case dutch = "nl"
    }

    let language: Language

    /// The language the request prefers most among those spoken (`Accept-Language`, with q-values).
    static func preferred(by request: Request) -> ShareText {
        var best: (language: Language, quality: Double)?
        for item in (request.headers[.acceptLanguage] ?? "").split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased(), let primary = tag.split(separator: "-").first,
                let language = Language(rawValue: String(primary))
            else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0, quality > best?.quality ?? 0 { best = (language, quality) }
        }
        return ShareText(language: best?.language ?? .english)
    }

    private func say(_ english: String, _ dutch: String) -> String {
        switch language {
        case .english: english
        case .dutch: dutch
        }
    }

    // MARK: A share's files

    var noFiles: String { say("There are no files here (yet).", "Hier staan (nog) geen bestanden.") }
    var download: String { say("Download", "Downloaden") }
    var downloadAll: String { say("Download all (ZIP)", "Alles downloaden (ZIP)") }
    var downloadsUsedUp: String { say("This link has served all the downloads it was made for.", "Deze link is zo vaak gedownload als bedoeld.") }
    func downloadsLeft(_ left: Int64) -> String {
        left == 1 ? say("1 download left.", "Nog 1 download.") : say("\(left) downloads left.", "Nog \(left) downloads.")
    }
    func worksUntil(_ time: Date) -> String {
        say("The link works until \(TimestampFormat.httpDate(time)).", "De link werkt tot \(TimestampFormat.httpDate(time)).")
    }

    // MARK: Password

    var passwordTitle: String { say("Password", "Wachtwoord") }
    var passwordHeading: String { say("This link needs a password", "Deze link vraagt een wachtwoord") }
    var open: String { say("Open", "Openen") }

    // MARK: Drop links

    var sendFiles: String { say("Send files", "Bestanden sturen") }
    func received(_ count: Int) -> String {
        count == 1 ? say("1 file received. Thank you.", "1 bestand ontvangen. Dank u wel.")
            : say("\(count) files received. Thank you.", "\(count) bestanden ontvangen. Dank u wel.")
    }
    var dropFull: String { say("This link has taken all the files it was made for.", "Deze link heeft alle bestanden ontvangen waarvoor hij bedoeld was.") }
    var chooseFiles: String { say("Choose files, or drop them here", "Kies bestanden, of sleep ze hierheen") }
    var send: String { say("Send", "Versturen") }
    func largestFile(_ size: Int64) -> String { say("Each file may be up to \(sizeText(size)).", "Elk bestand mag tot \(sizeText(size)) groot zijn.") }
    func filesLeft(_ left: Int64) -> String {
        left == 1 ? say("1 more file can be sent.", "Er kan nog 1 bestand bij.") : say("\(left) more files can be sent.", "Er kunnen nog \(left) bestanden bij.")
    }
    func bytesLeft(_ left: Int64) -> String { say("\(sizeText(left)) can be sent in all.", "Er kan in totaal nog \(sizeText(left)) bij.") }
    var sentStaysHidden: String { say("Files you send cannot be seen here afterwards.", "Wat u stuurt, is hier daarna niet te zien.") }

    // MARK: Errors

    /// A heading for an error a person meets, and what to say of it: the server's own words in
    /// English; in Dutch a sentence of its own where the code says enough.
    func failure(_ error: AttacheError) -> (heading: String, detail: String) {
        let heading = switch error.code {
        case .notFound: say("This link does not work", "Deze link werkt niet")
        case .linkExhausted: say("This link is used up", "Deze link is op")
        case .contentTooLarge: say("That is too large", "Dat is te groot")
        case .unsupportedMediaType: say("That kind of file is not taken", "Dat soort bestand wordt niet aangenomen")
        case .contentInfected: say("That file was refused", "Dat bestand is geweigerd")
        case .quotaExceeded: say("There is no room for that", "Daar is geen ruimte voor")
        case .missingFile: say("No file arrived", "Er kwam geen bestand aan")
        case .tooManyRequests: say("Too many tries", "Te veel pogingen")
        case .passwordRequired: passwordHeading
        default: say("Something went wrong", "Er ging iets mis")
        }
        return (heading, language == .english ? error.message : dutchDetail(error))
    }

    /// Why the password form did not open the link.
    func passwordRefusal(_ error: AttacheError) -> String {
        guard language == .dutch else { return error.message }
        if error.code == .tooManyRequests, let wait = error.rateLimit?.retryAfter {
            return "Te veel verkeerde wachtwoorden; probeer het over \(wait) seconden opnieuw."
        }
        return error.code == .passwordRequired ? "Het wachtwoord klopt niet." : error.message
    }

    private func dutchDetail(_ error: AttacheError) -> String {
        switch error.code {
        case .notFound: "Deze link bestaat niet, is verlopen of is ingetrokken."
        case .linkExhausted: "Deze link neemt niets meer aan."
        case .contentTooLarge: "Het bestand is groter dan deze link aanneemt."
        case .unsupportedMediaType: "Dit soort bestand wordt hier niet aangenomen."
        case .contentInfected: "Het bestand bevat malware en is niet bewaard."
        case .quotaExceeded: "Er is geen ruimte meer voor bestanden."
        case .missingFile: "Kies eerst een of meer bestanden."
        case .tooManyRequests: passwordRefusal(error)
        case .passwordRequired: "Open de link eerst met het wachtwoord."
        default: "Probeer het later opnieuw."
        }
    }

    // MARK: Sizes

    /// `1.2 MB` (`1,2 MB` in Dutch), `512 bytes`: a size for a person, in decimal units as file
    /// managers show them.
    func sizeText(_ size: Int64) -> String {
        if size < 1000 { return size == 1 ? "1 byte" : "\(size) bytes" }
        var value = Double(size)
        for unit in ["kB", "MB", "GB", "TB"] {
            value /= 1000
            if value < 999.95 || unit == "TB" {
                let number = value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
                return (language == .dutch ? number.replacingOccurrences(of: ".", with: ",") : number) + " " + unit
            }
        }
        return "\(size) bytes"
    }
}
