import AttacheCore
import AttacheHTTP
import Foundation

extension SharePage {
    /// A drop link's page: a form that sends files (it works as it is; ``ShareScript`` adds dropping
    /// files on it, a progress bar per file, and sends large files resumably). `sent` says how many arrived with the last form sent.
    static func dropForm(_ view: DropView, sent: Int?, text: ShareText) -> SharePage {
        var body = "<h1>\(HTMLText(text.sendFiles))</h1>\n"
        if let label = view.label { body += "<p class=\"label\">\(HTMLText(label))</p>\n" }
        if let sent {
            body += "<p class=\"done\" role=\"status\">\(HTMLText(text.received(sent)))</p>\n"
        }
        let full = view.filesLeft == 0 || view.bytesLeft == 0
        if full {
            body += "<p class=\"note\">\(HTMLText(text.dropFull))</p>\n"
            return SharePage(title: text.sendFiles, body: body, text: text)
        }
        // What the link still takes, for the script to count down as files arrive resumably (no receipt then).
        let leftAttributes = [view.filesLeft.map { " data-files-left=\"\($0)\"" }, view.bytesLeft.map { " data-bytes-left=\"\($0)\"" }]
            .compactMap { $0 }.joined()
        body += """
            <form class="drop" method="post" action="\(HTMLText(view.uploadUrl))" enctype="multipart/form-data"
              data-max-file-size="\(view.maximumFileSize)" data-max-form-file-size="\(view.maximumFormFileSize)" data-resumable-url="\(HTMLText(view.resumableUrl))"\(leftAttributes)>
            <label for="files">\(HTMLText(text.chooseFiles))</label>
            <input id="files" name="files" type="file" multiple required>
            <button type="submit" class="primary">\(HTMLText(text.send))</button>
            </form>
            <ul class="files" id="progress" aria-live="polite"></ul>

            """
        // Each note a span; the script keeps what the link still takes (files-left, bytes-left) up to date.
        var notes: [(id: String?, text: String)] = [(nil, text.largestFile(view.maximumFileSize))]
        if let left = view.filesLeft { notes.append(("files-left", text.filesLeft(left))) }
        if let left = view.bytesLeft { notes.append(("bytes-left", text.bytesLeft(left))) }
        if let expiresAt = view.expiresAt { notes.append((nil, text.worksUntil(expiresAt))) }
        notes.append((nil, text.sentStaysHidden))
        body += "<p class=\"note\">" + notes.map { note in
            "<span\(note.id.map { " id=\"\($0)\"" } ?? "")>\(HTMLText(note.text))</span>"
        }.joined(separator: " ") + "</p>\n"
        var page = SharePage(title: text.sendFiles, body: body, text: text)
        page.script = true
        return page
    }
}
