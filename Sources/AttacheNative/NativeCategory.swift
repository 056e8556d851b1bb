import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A category as the native API shows it.
struct NativeCategory: ResponseEncodable {
    struct Retention: Codable, Sendable {
        var days: Int
        /// `upload` or `expiresOn`.
        var from: RetentionRule.Start
    }

    var name: String
    @ExplicitNull var description: String?
    @ExplicitNull var retention: Retention?
    var createdAt: Date
    var updatedAt: Date

    init(_ category: Category) {
        name = category.name
        description = category.description
        retention = category.retention.map { Retention(days: $0.days, from: $0.from) }
        createdAt = category.createdAt
        updatedAt = category.updatedAt
    }
}

/// `GET /v1/categories`: `{items}`, by name.
struct NativeCategoryList: ResponseEncodable {
    var items: [NativeCategory]
}

/// `POST /v1/categories`.
struct CreateCategoryRequest: Decodable {
    var name: String
    var description: String?
    var retention: NativeCategory.Retention?
}

/// `PATCH /v1/categories/{name}`: `null` removes the description or the rule.
struct UpdateCategoryRequest: Decodable {
    var description: String??
    var retention: NativeCategory.Retention??

    enum CodingKeys: String, CodingKey {
        case description, retention
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        description = try container.decodeNullable(String.self, forKey: .description)
        retention = try container.decodeNullable(NativeCategory.Retention.self, forKey: .retention)
    }
}
