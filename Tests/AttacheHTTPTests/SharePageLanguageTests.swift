import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// The share and drop pages speak the language the browser prefers among English and Dutch
/// (`Accept-Language`, with q-values), and English otherwise; what a script reads (JSON) is the same.
@Suite("Share pages' language", .timeLimit(.minutes(3)))
struct SharePageLanguageTests {
    static func html(_ language: String?) -> [(String, String)] {
        [("Accept", "text/html")] + (language.map { [("Accept-Language", $0)] } ?? [])
    }

    @Test func pagesAreInTheLanguageTheBrowserPrefers() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "property", title: "Prinsengracht 3")
            _ = try await ShareTests.attach(server, record: record.uuid, name: "plattegrond.pdf", bytes: Samples.pdf(size: 1_234_567))
            let page = try ShareTests.page(try await ShareTests.share(server, "records/\(record.uuid)", #"{"maxDownloads":3}"#))

            let dutch = try await server.send(.GET, page, headers: Self.html("nl-NL,nl;q=0.9,en;q=0.8"))
            #expect(dutch.status == 200 && dutch.text.contains("<html lang=\"nl\">"))
            #expect(dutch.text.contains(">Downloaden</a>") && dutch.text.contains("Alles downloaden (ZIP)") && dutch.text.contains("1,2 MB"))
            #expect(dutch.text.contains("Nog 3 downloads.") && dutch.header("Vary") == "Accept, Accept-Language, Cookie")
            let preferred = try await server.send(.GET, page, headers: Self.html("en;q=0.5, nl-BE;q=0.8"))
            #expect(preferred.text.contains("<html lang=\"nl\">"), "the higher q wins")
            for language in [nil, "de-DE,fr;q=0.9", "en-GB", "nl;q=0"] {
                let english = try await server.send(.GET, page, headers: Self.html(language))
                #expect(english.text.contains("<html lang=\"en\">") && english.text.contains(">Download</a>") && english.text.contains("1.2 MB"), "\(language ?? "none")")
            }

            // The password form, its refusal, an error page and the drop page.
            let guarded = try ShareTests.page(try await ShareTests.share(server, "records/\(record.uuid)", #"{"password":"geheim"}"#))
            let form = try await server.send(.GET, guarded, headers: Self.html("nl"))
            #expect(form.text.contains("Deze link vraagt een wachtwoord") && form.text.contains(">Openen</button>"))
            let wrong = try await server.send(
                .POST, "\(guarded)/unlock", headers: Self.html("nl") + [("Content-Type", "application/x-www-form-urlencoded")],
                body: .init(string: "password=raden")
            )
            #expect(wrong.status == 403 && wrong.text.contains("Het wachtwoord klopt niet."))
            let dead = try await server.send(.GET, "/s/shr_" + String(repeating: "x", count: 32), headers: Self.html("nl"))
            #expect(dead.status == 404 && dead.text.contains("Deze link werkt niet") && dead.text.contains("is ingetrokken"))
            let drop = try ShareTests.page(try await DropLinkTests.dropLink(server, record: record.uuid, #""maxFiles":2"#))
            let dropPage = try await server.send(.GET, drop, headers: Self.html("nl"))
            #expect(dropPage.text.contains("Bestanden sturen") && dropPage.text.contains("Er kunnen nog 2 bestanden bij.") && dropPage.text.contains(">Versturen</button>"))
            // Scripts read the same JSON whatever the language.
            let json = try await server.send(.GET, page, headers: [("Accept", "application/json"), ("Accept-Language", "nl")])
            #expect(try json.jsonObject()["files"] as? [[String: Any]] != nil)
        }
    }
}
