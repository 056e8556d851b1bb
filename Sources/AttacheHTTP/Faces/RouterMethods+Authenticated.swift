public import Hummingbird

extension RouterMethods where Context == AttacheRequestContext {
    /// A group for routes that need a caller: `authentication` finds it, and each handler gets an
    /// ``AuthenticatedRequestContext``, made before the handler runs, so a route added here cannot
    /// forget to authenticate. Middleware added to the group sees the authenticated context; the
    /// middleware of `self` runs first, and none is added to `self`.
    package func authenticated(_ authentication: BearerAuthenticationMiddleware) -> RouterGroup<AuthenticatedRequestContext> {
        group().add(middleware: authentication).group(context: AuthenticatedRequestContext.self)
    }
}
