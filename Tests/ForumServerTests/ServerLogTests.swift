import Foundation
import Logging
import Testing
@testable import ForumServer

@Suite struct ServerLogTests {
    /// What reached the pipe so far, without waiting for more.
    private func available(_ pipe: Pipe) -> String {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = read(descriptor, &bytes, bytes.count)
        return count > 0 ? String(decoding: bytes.prefix(count), as: UTF8.self) : ""
    }

    @Test func informationWaitsForTheFlushAndAWarningTakesItAlong() {
        let pipe = Pipe()
        let log = ServerLog(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        var logger = log.logger(label: "forumops", level: .info)
        logger[metadataKey: "hb.request.id"] = "42"
        logger.debug("not at this level")
        logger.info("request", metadata: ["status": "304", "method": "GET"])
        #expect(available(pipe) == "", "an information line waits in the buffer")

        logger.warning("database busy")
        let lines = available(pipe).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(" info forumops: hb.request.id=42 method=GET status=304 [ForumServerTests] request"), "\(lines)")
        #expect(lines[1].contains(" warning forumops: hb.request.id=42 [ForumServerTests] database busy"))
        #expect(lines[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} .*/) != nil, "swift-log's timestamp")

        logger.info("after")
        log.flush()
        #expect(available(pipe).hasSuffix("[ForumServerTests] after\n"))
        log.flush()
        #expect(available(pipe) == "", "nothing is written twice")
    }

    @Test func aFullBufferIsWrittenWithoutAFlush() {
        let pipe = Pipe()
        let log = ServerLog(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let logger = log.logger(label: "forumops", level: .info)
        let line = String(repeating: "я", count: 100)
        var written = ""
        for _ in 0..<(ServerLog.capacity / 200 + 1) {
            logger.info("\(line)")
            written += available(pipe)
        }
        #expect(written.utf8.count >= ServerLog.capacity)
    }
}
