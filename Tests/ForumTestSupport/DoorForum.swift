import ForumDomain
import ForumStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SampleProgramme {
    /// A forum for the door: three registered (2 is Ёлкина), a programme with `rt` (sign-up,
    /// ten seats, participant 1 seated) and `talk` (no sign-up, in a one-seat hall).
    public static func doorForum(_ database: ForumDatabase) async throws {
        _ = try await database.register([Sample.details(1), Sample.details(2, lastName: "Ёлкина"), Sample.details(3)])
        _ = try await database.importProgramme(programme([
            session("rt", from: "10:00", to: "11:00", capacity: 10),
            session("talk", kind: .lecture, room: "hall-b", from: "10:00", to: "11:00"),
        ]))
        _ = try await database.saveRoom(Room(slug: "hall-b", name: "Зал Б", capacity: 1), in: "p75")
        _ = try await database.enroll(participant: 1, in: "rt")
    }
}

/// A TCP socket on 127.0.0.1 at a port the system chose. One that listens accepts connections
/// and never answers them (a server that hangs); closed, its port is free for a test's server.
public final class LocalSocket {
    public let port: Int
    private let descriptor: Int32

    public struct Failure: Error {}

    public init(listening: Bool) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && (!listening || listen(descriptor, 16) == 0)
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            close(descriptor)
            throw Failure()
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    /// A port nobody listens on right now.
    public static func freePort() throws -> Int {
        try LocalSocket(listening: false).port
    }
}
