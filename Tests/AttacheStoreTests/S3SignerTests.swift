@testable import AttacheS3
import Foundation
import Testing

/// SigV4 against the examples AWS publishes, for header and query (presigned) signing.
@Suite("S3 signer", .timeLimit(.minutes(3)))
struct S3SignerTests {
    static let signer = S3Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    /// "Authenticating Requests: Using Query Parameters", the example presigned GET of test.txt.
    @Test func presignedGetMatchesAWSsExample() {
        let query = Self.signer.presign(method: "GET", path: "/test.txt", host: "examplebucket.s3.amazonaws.com", query: [], lifetime: 86_400, date: Self.date)
        #expect(query.hasPrefix("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"))
        #expect(query.hasSuffix("&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"))
    }

    /// "Signature Calculations for the Authorization Header", the example GET Object with a range.
    @Test func headerSignedGetMatchesAWSsExample() {
        let headers = Self.signer.sign(
            method: "GET", path: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", date: Self.date
        )
        let authorization = headers.first { $0.0 == "Authorization" }?.1 ?? ""
        #expect(authorization.hasSuffix("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"), "\(authorization)")
    }
}
