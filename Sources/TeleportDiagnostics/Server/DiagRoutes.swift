import CompressNIO
import Foundation
import Hummingbird
import NIOCore
import TeleportCore

/// The routes of Teleport's diag listener and debug service, answered from the engine.
public enum DiagRoutes {
    /// A router with every route of the given exposure.
    public static func router(engine: DiagnosticsEngine, exposure: DiagExposure) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in
            json(.ok, #"{"status":"ok"}"#)
        }
        router.get("/readyz") { _, _ in
            let (status, body) = engine.readyz()
            return json(HTTPResponse.Status(code: status), body)
        }
        router.get("/metrics") { request, _ in
            metrics(engine: engine, request: request)
        }
        let pprof: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            guard exposure.servesPprof else { return notFound() }
            return await PprofRoutes.answer(request, engine: engine)
        }
        router.get("/debug/pprof", use: pprof)
        router.get("/debug/pprof/**", use: pprof)
        if exposure == .debugSocket {
            router.get("/log-level") { _, _ in
                text(.ok, engine.logLevel.current.text)
            }
            router.put("/log-level") { request, _ in
                var request = request
                let body = (try? await request.collectBody(upTo: 1 << 16)).map { String(buffer: $0) }
                return setLogLevel(engine: engine, body: body)
            }
            router.get("/log-stream") { request, _ in
                logStream(engine: engine, level: request.uri.queryParameters["level"].map { String($0) })
            }
        }
        return router
    }

    /// `GET /log-stream?level=L`: NDJSON, chunked, for as long as the reader stays; 400 for
    /// an unknown level, 503 past `LogBroadcast.maxSubscribers` readers.
    static func logStream(engine: DiagnosticsEngine, level levelText: String?) -> Response {
        var minimum = 0
        if let levelText, !levelText.isEmpty {
            guard LogLine.levels.contains(levelText.uppercased()) else {
                return text(.badRequest, "Invalid log level \"\(Sanitized.quote(String(levelText.prefix(32))))\": use TRACE, DEBUG, INFO, WARN or ERROR.")
            }
            minimum = LogLine.rank(of: levelText)
        }
        guard let subscription = engine.logStream.subscribe(minimumRank: minimum) else {
            return text(.serviceUnavailable, "Too many log stream readers (at most \(LogBroadcast.maxSubscribers)).")
        }
        let body = ResponseBody { writer in
            defer { subscription.close() }
            while let lines = await subscription.next() {
                var buffer = ByteBuffer()
                for line in lines {
                    buffer.writeString(line)
                    buffer.writeInteger(UInt8(ascii: "\n"))
                }
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `PUT /log-level`, with Teleport's answers.
    static func setLogLevel(engine: DiagnosticsEngine, body: String?) -> Response {
        guard let body else { return text(.unprocessableContent, "Unable to read request body.") }
        // Teleport reads at most 1024 bytes of the body.
        guard let level = TeleportLogLevel(text: String(body.utf8.prefix(1024)) ?? "") else {
            engine.logger.warning("Failed to parse log level", metadata: ["level": "\(Sanitized.quote(String(body.prefix(64))))"])
            return text(.unprocessableContent, "Invalid log level.")
        }
        let current = engine.logLevel.current
        guard level != current else {
            return text(.ok, "Log level already set to \"\(level.slogText)\".")
        }
        engine.logLevel.current = level
        engine.logger.info("Changed log level.", metadata: ["old": "\(current.text)", "new": "\(level.text)"])
        return text(.ok, "Changed log level from \"\(current.slogText)\" to \"\(level.slogText)\".")
    }

    /// `/metrics`: text 0.0.4, gzip-compressed when the client accepts it. Each scrape is a
    /// `diag/metrics` server span of the engine's (the engine traces its own work).
    static func metrics(engine: DiagnosticsEngine, request: Request) -> Response {
        engine.scrapesInFlight.add(1)
        defer { engine.scrapesInFlight.add(-1) }
        engine.scrapeRequests.increment("200")
        let span = engine.startSpan("diag/metrics", kind: .server)
        defer { span.end() }
        let exposition = engine.exposition()
        var buffer = ByteBuffer(bytes: exposition)
        var headers: HTTPFields = [.contentType: ExpositionWriter.contentType]
        if acceptsGzip(request.headers[.acceptEncoding]), let compressed = try? buffer.compress(with: .gzip()) {
            buffer = compressed
            headers[.contentEncoding] = "gzip"
        }
        headers[.contentLength] = String(buffer.readableBytes)
        span.attributes["http.method"] = "GET"
        span.attributes["http.route"] = "/metrics"
        span.attributes["http.status_code"] = 200
        span.attributes["metrics.exposition_bytes"] = exposition.count
        span.attributes["http.response_content_length"] = buffer.readableBytes
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// Whether an `Accept-Encoding` value allows gzip (and does not refuse it with q=0).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = pieces.first, coding == "gzip" || coding == "*" else { continue }
            let quality = pieces.dropFirst().compactMap { $0.hasPrefix("q=") ? Double($0.dropFirst(2)) : nil }.first ?? 1
            return quality > 0
        }
        return false
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Go's `http.NotFound` answer, as a real Teleport gives it.
    static func notFound() -> Response {
        text(.notFound, "404 page not found\n")
    }
}
