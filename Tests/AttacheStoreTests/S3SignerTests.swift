import Foundation
import Testing

@testable import AttacheS3

@Suite("S3 request signing")
struct S3SignerTests {
    /// AWS's published Signature Version 4 example for S3 (`GET /test.txt` with a range).
    @Test func matchesAWSsPublishedExample() {
        let signer = S3Signer(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1"
        )
        let headers = signer.sign(
            method: "GET", path: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            date: Date(timeIntervalSince1970: 1_369_353_600)
        )
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func encodesLikeAWS() {
        #expect(S3Signer.encode("a b/c~d") == "a%20b%2Fc~d")
        #expect(S3Signer.encode("blobs/1/ab", keepSlash: true) == "blobs/1/ab")
        #expect(S3Signer.timestamp(Date(timeIntervalSince1970: 1_369_353_600)) == "20130524T000000Z")
    }
}
