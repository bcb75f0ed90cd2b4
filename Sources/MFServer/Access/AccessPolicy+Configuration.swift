import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Access-control settings as given on the command line or in the environment.
///
/// Each list is comma-separated; entries are numeric ids or user/group names.
public struct AccessConfiguration: Sendable, Equatable {
    /// `--read-uids`/`--read-gids`: when either is set, read is no longer open to everyone.
    public var readUIDs: String?
    public var readGIDs: String?
    public var writeUIDs: String?
    public var writeGIDs: String?
    public var adminUIDs: String?
    public var adminGIDs: String?
    /// `--access-group`: one group granted write and admin (name or gid).
    public var group: String?

    public init(readUIDs: String? = nil, readGIDs: String? = nil, writeUIDs: String? = nil, writeGIDs: String? = nil,
                adminUIDs: String? = nil, adminGIDs: String? = nil, group: String? = nil) {
        self.readUIDs = readUIDs
        self.readGIDs = readGIDs
        self.writeUIDs = writeUIDs
        self.writeGIDs = writeGIDs
        self.adminUIDs = adminUIDs
        self.adminGIDs = adminGIDs
        self.group = group
    }
}

extension AccessConfiguration {
    /// `--access-group` as a gid, nil when unset; throws `invalid_configuration` for an unknown name.
    public func resolvedGroup(_ resolver: PrincipalResolver = .system) throws -> gid_t? {
        try group.map { try AccessPolicy.resolveGroup($0, field: "--access-group", resolver) }
    }
}

/// Looks up user and group names (injectable so parsing is testable without /etc).
public struct PrincipalResolver: Sendable {
    public var userID: @Sendable (String) -> uid_t?
    public var groupID: @Sendable (String) -> gid_t?

    public init(userID: @escaping @Sendable (String) -> uid_t?, groupID: @escaping @Sendable (String) -> gid_t?) {
        self.userID = userID
        self.groupID = groupID
    }

    /// Resolves through the system databases (`getpwnam_r`, `getgrnam_r`).
    public static let system = PrincipalResolver(
        userID: { name in
            var pwd = passwd()
            var result: UnsafeMutablePointer<passwd>?
            var buffer = [CChar](repeating: 0, count: 16384)
            guard getpwnam_r(name, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
            return pwd.pw_uid
        },
        groupID: { name in
            var grp = group()
            var result: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: 16384)
            guard getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
            return grp.gr_gid
        })
}

extension AccessPolicy {
    /// Builds the policy: the standard default widened by the configured grants.
    /// Throws `invalid_configuration` naming the flag for an unknown name or bad id.
    public init(configuration c: AccessConfiguration, daemonUID: uid_t, resolver: PrincipalResolver = .system) throws {
        let group = try c.resolvedGroup(resolver)
        var policy = AccessPolicy.standard(daemonUID: daemonUID, group: group)
        if c.readUIDs != nil || c.readGIDs != nil { policy.read.everyone = false }
        policy.read.uids.formUnion(try Self.uids(c.readUIDs, "--read-uids", resolver))
        policy.read.gids.formUnion(try Self.gids(c.readGIDs, "--read-gids", resolver))
        policy.write.uids.formUnion(try Self.uids(c.writeUIDs, "--write-uids", resolver))
        policy.write.gids.formUnion(try Self.gids(c.writeGIDs, "--write-gids", resolver))
        policy.admin.uids.formUnion(try Self.uids(c.adminUIDs, "--admin-uids", resolver))
        policy.admin.gids.formUnion(try Self.gids(c.adminGIDs, "--admin-gids", resolver))
        self = policy
    }

    static func uids(_ list: String?, _ field: String, _ r: PrincipalResolver) throws -> Set<uid_t> {
        try Set(entries(list, field).map { entry in
            if let id = uid_t(entry) { return id }
            guard let id = r.userID(entry) else {
                throw MFServerError.invalidConfiguration(field: field, message: "unknown user '\(entry)'")
            }
            return id
        })
    }

    static func gids(_ list: String?, _ field: String, _ r: PrincipalResolver) throws -> Set<gid_t> {
        try Set(entries(list, field).map { try resolveGroup($0, field: field, r) })
    }

    static func resolveGroup(_ entry: String, field: String, _ r: PrincipalResolver) throws -> gid_t {
        if let id = gid_t(entry) { return id }
        guard let id = r.groupID(entry) else {
            throw MFServerError.invalidConfiguration(field: field, message: "unknown group '\(entry)'")
        }
        return id
    }

    /// Splits "a, b,c" into entries; an empty entry (",,") is an error.
    static func entries(_ list: String?, _ field: String) throws -> [String] {
        guard let list, !list.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        return try list.split(separator: ",", omittingEmptySubsequences: false).map { raw in
            let entry = raw.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else {
                throw MFServerError.invalidConfiguration(field: field, message: "empty entry in '\(list)'")
            }
            return entry
        }
    }
}
