#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The command line as the kernel passed it. `CommandLine.arguments` replaces
/// bytes that are not UTF-8 with U+FFFD, so a path with such bytes would
/// silently name another file; mfd and mfctl refuse it instead.
public enum RawArguments {
    /// `argv` as bytes, the program name first.
    public static var current: [[UInt8]] {
        (0..<Int(CommandLine.argc)).map { i in
            CommandLine.unsafeArgv[i].map { Array(UnsafeBufferPointer(start: $0, count: strlen($0))).map(UInt8.init(bitPattern:)) } ?? []
        }
    }

    /// A message naming the first argument that is not valid UTF-8 by its flag
    /// (`--db X` or `--db=X`), or by its position when no flag precedes it;
    /// nil when every argument is valid UTF-8.
    public static func nonUTF8Problem(_ argv: [[UInt8]]) -> String? {
        guard let i = argv.indices.dropFirst().first(where: { !isUTF8(argv[$0]) }) else { return nil }
        let arg = argv[i], dash = UInt8(ascii: "-")
        let name: String
        if arg.starts(with: [dash, dash]), let eq = arg.firstIndex(of: UInt8(ascii: "=")), isUTF8(arg[..<eq]) {
            name = String(decoding: arg[..<eq], as: UTF8.self)
        } else if i > 1, argv[i - 1].first == dash, isUTF8(argv[i - 1]) {
            name = String(decoding: argv[i - 1], as: UTF8.self)
        } else {
            name = "argument \(i)"
        }
        return "\(name): the value is not valid UTF-8; paths and other values must be UTF-8"
    }

    private static func isUTF8<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }
}
