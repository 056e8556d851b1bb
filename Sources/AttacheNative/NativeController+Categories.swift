import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

extension NativeController {
    /// `GET /v1/categories`: the tenant's categories, by name.
    @Sendable func listCategories(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeCategoryList {
        NativeCategoryList(items: try await service.categories(context.principal).map(NativeCategory.init))
    }

    /// `POST /v1/categories` (admin): `{name, description, retention: {days, from}}`.
    @Sendable func createCategory(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .admin)
        let input = try await RequestBodyDecoder().decode(CreateCategoryRequest.self, from: request)
        let category = try await service.createCategory(
            principal, name: input.name, description: input.description, retention: input.retention.map { RetentionRule(days: $0.days, from: $0.from) }
        )
        return try created(NativeCategory(category), request: request, context: context)
    }

    /// `GET /v1/categories/{name}`.
    @Sendable func getCategory(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeCategory {
        NativeCategory(try await service.category(context.principal, name: categoryName(context)))
    }

    /// `PATCH /v1/categories/{name}` (admin): description, retention.
    @Sendable func updateCategory(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeCategory {
        let principal = try context.principal(allowedTo: .admin)
        let name = try categoryName(context)
        let input = try await RequestBodyDecoder().decode(UpdateCategoryRequest.self, from: request)
        let retention = input.retention.map { $0.map { RetentionRule(days: $0.days, from: $0.from) } }
        return NativeCategory(try await service.updateCategory(principal, name: name, description: input.description, retention: retention))
    }

    /// `DELETE /v1/categories/{name}` (admin): 409 while attachments are in it.
    @Sendable func deleteCategory(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .admin)
        try await service.deleteCategory(principal, name: try categoryName(context))
        return Response(status: .noContent)
    }

    private func categoryName(_ context: some RequestContext) throws(AttacheError) -> String {
        guard let name = context.parameters.get("name") else { throw AttacheError(.notFound, "There is no such category.") }
        return name
    }
}
