import MFProtocol
import Testing
@testable import MFServer

@Suite struct AccessPolicyTests {
    let stranger = PeerCredentials(pid: 10, uid: 1234, gid: 1234)
    let root = PeerCredentials(pid: 11, uid: 0, gid: 0)
    let daemon = PeerCredentials(pid: 12, uid: 990, gid: 990)
    let member = PeerCredentials(pid: 13, uid: 1500, gid: 1500, supplementaryGroups: [4000])
    let resolver = PrincipalResolver(
        userID: { ["alice": 1000, "bob": 1001][$0] },
        groupID: { ["mfd": 4000, "ops": 4100][$0] })

    @Test func defaultGrantsReadToAnyoneAndWriteAdminToOwners() {
        let policy = AccessPolicy.standard(daemonUID: 990)
        #expect(policy.allows(stranger, .read))
        #expect(!policy.allows(stranger, .write))
        #expect(!policy.allows(stranger, .admin))
        for owner in [root, daemon] {
            #expect(AccessClass.allCases.allSatisfy { policy.allows(owner, $0) })
        }
    }

    @Test func configuredGroupMatchesSupplementaryGroups() throws {
        let policy = try AccessPolicy(configuration: .init(group: "mfd"), daemonUID: 990, resolver: resolver)
        #expect(policy.allows(member, .write))
        #expect(policy.allows(member, .admin))
        #expect(!policy.allows(stranger, .write))
    }

    @Test func grantsAreAddedPerClassAndImplyLowerClasses() throws {
        let config = AccessConfiguration(writeUIDs: "alice, 1234", adminGIDs: "ops")
        let policy = try AccessPolicy(configuration: config, daemonUID: 990, resolver: resolver)
        let alice = PeerCredentials(pid: 1, uid: 1000, gid: 1000)
        let opsPrimary = PeerCredentials(pid: 2, uid: 7, gid: 4100)
        #expect(policy.allows(alice, .write) && !policy.allows(alice, .admin))
        #expect(policy.allows(stranger, .write))
        #expect(policy.allows(opsPrimary, .admin) && policy.allows(opsPrimary, .write))
        #expect(policy.allows(root, .admin))
    }

    @Test func restrictingReadClosesItToOthers() throws {
        let policy = try AccessPolicy(configuration: .init(readUIDs: "bob"), daemonUID: 990, resolver: resolver)
        #expect(!policy.allows(stranger, .read))
        #expect(policy.allows(PeerCredentials(pid: 3, uid: 1001, gid: 1001), .read))
        #expect(policy.allows(daemon, .read))  // write/admin holders keep read
    }

    @Test(arguments: [
        (AccessConfiguration(writeUIDs: "nobody-here"), "--write-uids"),
        (AccessConfiguration(adminGIDs: "mfd,,ops"), "--admin-gids"),
        (AccessConfiguration(group: "nogroup-xyz"), "--access-group"),
    ])
    func badEntriesNameTheFlag(config: AccessConfiguration, field: String) {
        #expect {
            try AccessPolicy(configuration: config, daemonUID: 990, resolver: resolver)
        } throws: { error in
            guard case .invalidConfiguration(let f, _) = error as? MFServerError else { return false }
            return f == field
        }
    }

    @Test func describesItselfForTheStartupLog() throws {
        let policy = try AccessPolicy(configuration: .init(adminGIDs: "mfd"), daemonUID: 990, resolver: resolver)
        #expect(policy.description == "read=everyone write=uid:0,990 admin=uid:0,990 gid:4000")
    }

    @Test func systemResolverKnowsRoot() {
        #expect(PrincipalResolver.system.userID("root") == 0)
        #expect(PrincipalResolver.system.groupID("root") == 0)
    }
}
