import AttacheHTTP
/// Which of ONLYOFFICE's two JSON dialects the face speaks.
public enum OnlyOfficeWireFormat: String, Sendable, CaseIterable {
    /// As the API documentation shows it: bare objects, PascalCase names (`CreateBy`, `Files`, `ID`),
    /// 200 for every success.
    case documented
    /// As a real Community Server portal answers: every body in `{count, startIndex, status,
    /// statusCode, response}`, camelCase names, 201 for POST, full file objects, errors as
    /// `{status: 1, statusCode, error: {message}}`.
    case communityServer = "community-server"
}
