/// The version of this build of Attache, as `attache --version` and `/healthz` tell it.
public enum AttacheVersion {
    public static let current = "0.9.0"
}
