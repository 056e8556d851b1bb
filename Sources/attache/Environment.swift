import Foundation

/// Reads a default for a command-line option from the environment (`ATTACHE_PORT`, …).
enum Environment {
    static func string(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func string(_ name: String, default value: String) -> String {
        string(name) ?? value
    }

    static func integer<Number: FixedWidthInteger>(_ name: String, default value: Number) -> Number {
        string(name).flatMap { Number($0) } ?? value
    }
}
