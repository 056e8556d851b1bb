import NIOHTTP1

/// HTTP methods by name, for helpers shared across faces.
package enum HTTPMethodName {
    case get, post, put, delete

    package var nio: HTTPMethod {
        switch self {
        case .get: .GET
        case .post: .POST
        case .put: .PUT
        case .delete: .DELETE
        }
    }
}

import NIOHTTP1
