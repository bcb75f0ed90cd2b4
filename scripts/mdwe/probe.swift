// Exercises the parts of the Swift runtime mfd relies on (Foundation JSON,
// Dispatch, Swift concurrency, generics/metadata instantiation, dynamic
// casts, String/Unicode, Regex, dlopen of libsqlite3) so that running it
// under mdwe-exec shows whether MemoryDenyWriteExecute=yes is survivable.
import Dispatch
import Foundation

struct Row: Codable, Equatable { var id: Int64; var title: String; var score: Float; var tags: [String] }
actor Counter { var n = 0; func add(_ k: Int) { n += k } }
protocol Shape { func area() -> Double }
struct Box<T: BinaryFloatingPoint>: Shape { var w: T; func area() -> Double { Double(w * w) } }

func check(_ ok: Bool, _ what: String) {
    if !ok { FileHandle.standardError.write("probe: FAILED \(what)\n".data(using: .utf8)!); exit(1) }
    print("ok  \(what)")
}

let rows = (0..<1000).map { Row(id: Int64($0), title: "Movie \($0) (19\($0 % 100))", score: Float($0) / 7, tags: ["a", "ß", "🎬"]) }
let data = try JSONEncoder().encode(rows)
check(try JSONDecoder().decode([Row].self, from: data) == rows, "JSONEncoder/JSONDecoder round trip")
let any = try JSONSerialization.jsonObject(with: #"{"op":"recommend","user":42,"n":10}"#.data(using: .utf8)!)
check((any as? [String: Any])?["user"] as? Int == 42, "JSONSerialization + dynamic casts")

var sums = [Double](repeating: 0, count: 8)
sums.withUnsafeMutableBufferPointer { buf in
    DispatchQueue.concurrentPerform(iterations: 8) { i in buf[i] = (0..<100_000).reduce(0.0) { $0 + Double($1 % (i + 2)) } }
}
check(sums.allSatisfy { $0 > 0 }, "DispatchQueue.concurrentPerform")
let group = DispatchGroup(); var fired = false
DispatchQueue.global().async(group: group) { fired = true }
group.wait()
check(fired, "DispatchQueue.global().async + DispatchGroup")

let counter = Counter()
let semaphore = DispatchSemaphore(value: 0)
Task.detached {
    await withTaskGroup(of: Void.self) { g in for k in 1...100 { g.addTask { await counter.add(k) } } }
    semaphore.signal()
}
semaphore.wait()
let total = await counter.n
check(total == 5050, "Task groups + actors")

let shapes: [any Shape] = [Box<Float>(w: 2), Box<Double>(w: 3), Box<Float16>(w: 1)]
check(shapes.map { $0.area() } == [4, 9, 1], "generic metadata instantiation + existentials")
let regex = try Regex(#"\((\d{4})\)$"#)
check("The Crimson Harbor (1987)".firstMatch(of: regex) != nil, "Swift Regex")
check("Ünïcödé".lowercased().uppercased() == "ÜNÏCÖDÉ", "String Unicode tables")
let formatter = DateFormatter(); formatter.dateFormat = "yyyy-MM-dd"; formatter.timeZone = TimeZone(identifier: "UTC")
check(formatter.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01", "DateFormatter (ICU)")
let handle = dlopen("libsqlite3.so.0", RTLD_NOW)
check(handle != nil, "dlopen(libsqlite3.so.0)")
if CommandLine.arguments.contains("--try-jit") {
    let p = mmap(nil, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    check(p != MAP_FAILED, "W+X mmap (expected to FAIL under MDWE)")
}
print("probe: all checks passed")
