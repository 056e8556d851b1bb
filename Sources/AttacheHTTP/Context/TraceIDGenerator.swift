import Synchronization

/// Random numbers for trace and span ids without a system call each: SplitMix64 over one shared
/// counter seeded from the system's generator. Ids must be unique and evenly spread (W3C Trace
/// Context), not secret; every draw advances the counter atomically, so concurrent requests never
/// share a value.
struct TraceIDGenerator: RandomNumberGenerator {
    private static let state: Atomic<UInt64> = {
        var system = SystemRandomNumberGenerator()
        return Atomic(system.next())
    }()

    mutating func next() -> UInt64 {
        var z = Self.state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
