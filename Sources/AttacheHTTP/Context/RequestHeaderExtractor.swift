import HTTPTypes
import Tracing

/// Reads W3C trace headers out of a request for the installed tracer (`Instrument.extract`).
package struct RequestHeaderExtractor: Extractor {
    package init() {}

    package func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}
