import AttacheExtraction
import Foundation
import Testing

/// Other programs' ZIP readers, to check an archive the way users will open it: Python's zipfile
/// always, Info-ZIP's unzip and 7-Zip where installed (scripts/test.sh installs both and sets
/// `ATTACHE_TEST_ZIP_TOOLS=required`, so a run that should have them cannot skip them).
package enum ZipReaders {
    static var toolsRequired: Bool { ProcessInfo.processInfo.environment["ATTACHE_TEST_ZIP_TOOLS"] == "required" }

    /// Runs a tool; `nil` when it is not installed (and the run does not require it).
    @discardableResult
    package static func run(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String)? {
        let path = ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            #expect(!toolsRequired, "\(tool) is required (ATTACHE_TEST_ZIP_TOOLS=required) but not installed")
            return nil
        }
        // Through ChildProcess (posix_spawn): Foundation's Process.run() crashes now and then on Linux.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("zip-reader-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let child = try ChildProcess(path, arguments: arguments, environment: ProcessInfo.processInfo.environment, output: output.path)
        let exit = await child.exit()
        let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        guard case .exited(let status) = exit else { return (-1, "\(tool) \(exit): \(text)") }
        return (status, text)
    }

    /// Python's zipfile lists the names and sizes and checks every CRC (and, given `contents`, that each
    /// entry holds exactly those bytes); unzip and 7-Zip test the archive.
    package static func check(_ url: URL, names: [String], sizes: [Int64], contents: [[UInt8]]? = nil) async throws {
        let script = """
            import hashlib, json, sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                bad = z.testzip()
                infos = z.infolist()
                digests = [hashlib.sha256(z.read(i)).hexdigest() for i in infos] if sys.argv[2] == "1" else []
                print(json.dumps({"bad": bad, "names": [i.filename for i in infos], "sizes": [i.file_size for i in infos], "sha256": digests}))
            """
        let python = try #require(try await run("python3", ["-c", script, url.path, contents == nil ? "0" : "1"]))
        #expect(python.status == 0, "python zipfile: \(python.output.suffix(2000))")
        let report = try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Any]
        #expect(report?["bad"] is NSNull, "zipfile found a bad CRC in \(String(describing: report?["bad"]))")
        #expect(report?["names"] as? [String] == names)
        #expect((report?["sizes"] as? [Int])?.map(Int64.init) == sizes)
        if let contents {
            #expect(report?["sha256"] as? [String] == contents.map { SHA256Helper.hex($0) })
        }
        if let unzip = try await run("unzip", ["-tqq", url.path]) {
            // unzip warns (status 1) of an archive with no entries, and says so.
            let empty = names.isEmpty && unzip.status == 1 && unzip.output.contains("zipfile is empty")
            #expect(unzip.status == 0 || empty, "unzip -t: \(unzip.output.suffix(2000))")
        }
        // Debian's 7zip package installs 7-Zip as 7zz.
        if let sevenZip = try await run(FileManager.default.isExecutableFile(atPath: "/usr/bin/7zz") ? "7zz" : "7z", ["t", "-bd", url.path]) {
            #expect(sevenZip.status == 0 && sevenZip.output.contains("Everything is Ok"), "7z t: \(sevenZip.output.suffix(2000))")
        }
    }
}
