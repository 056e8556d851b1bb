import AttacheCore
import Foundation

/// How one face's upload route reads a request body: which parts are files, which body types it
/// takes besides `multipart/form-data`, and what it answers when there is no file.
package struct UploadForm: Sendable {
    /// Which multipart parts are files.
    package enum FileParts: Sendable {
        /// Every part that carries a file name.
        case any
        /// Parts with this name; other file parts are read and ignored, as ASP.NET's and Laravel's
        /// binding ignore files they were not asked for.
        case named(String)
    }

    package var fileParts: FileParts
    /// Whether part and field names match case-insensitively (ASP.NET model binding).
    package var caseInsensitiveNames = false
    /// Keep the first file only (a handler that binds one file); later ones are read and ignored.
    package var firstFileOnly = false
    /// Whether a body of another media type is one file, named by `Content-Disposition`'s `filename`
    /// or a `filename`/`name` query parameter.
    package var acceptsRawBody = false
    /// The JSON member that carries the file as base64, for `application/json` bodies (Bloxs).
    package var jsonBase64Member: String?
    /// Whether a part without a `filename` is a file when its type is `application/octet-stream`, as
    /// busboy (NestJS's multer) decides: Node's `form-data` sends a Buffer so. The file is named after
    /// its part, and its extension comes from its content.
    package var octetStreamPartsAreFiles = false
    /// A narrower policy than the server's (a face whose vendor documents its own limits).
    package var policy: UploadPolicy?
    /// The error when the request carries no file (the face's words).
    package var missingFile: AttacheError

    package init(
        fileParts: FileParts,
        caseInsensitiveNames: Bool = false,
        firstFileOnly: Bool = false,
        acceptsRawBody: Bool = false,
        jsonBase64Member: String? = nil,
        octetStreamPartsAreFiles: Bool = false,
        policy: UploadPolicy? = nil,
        missingFile: AttacheError
    ) {
        self.octetStreamPartsAreFiles = octetStreamPartsAreFiles
        self.fileParts = fileParts
        self.caseInsensitiveNames = caseInsensitiveNames
        self.firstFileOnly = firstFileOnly
        self.acceptsRawBody = acceptsRawBody
        self.jsonBase64Member = jsonBase64Member
        self.policy = policy
        self.missingFile = missingFile
    }

    /// Whether a file part (one with a `filename` parameter, as every framework requires) called
    /// `name` is wanted.
    package func wantsFile(named name: String) -> Bool {
        switch fileParts {
        case .any: true
        case .named(let wanted): caseInsensitiveNames ? name.caseInsensitiveCompare(wanted) == .orderedSame : name == wanted
        }
    }
}
