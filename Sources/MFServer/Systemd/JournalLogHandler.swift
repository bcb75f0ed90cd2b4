#if canImport(Glibc)
import Glibc
#endif
import Logging

/// swift-log handler writing one plain line per event to stderr:
/// `level label: message key=value …`, no colours, no timestamp (journald
/// adds one). Under journald (`JOURNAL_STREAM` set) each line starts with a
/// `<N>` syslog priority so the journal records the level.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let priorityPrefix: Bool

    public init(label: String, level: Logger.Level, priorityPrefix: Bool) {
        self.label = label
        self.logLevel = level
        self.priorityPrefix = priorityPrefix
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = Self.format(level: event.level, label: label, message: event.message.description,
                               metadata: metadata.merging(event.metadata ?? [:]) { $1 },
                               priorityPrefix: priorityPrefix)
        line.utf8CString.withUnsafeBufferPointer { bytes in
            _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count - 1)  // one write per line: no interleaving
        }
    }

    /// The formatted line including its newline; metadata sorted by key, values quoted when needed.
    static func format(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
                       priorityPrefix: Bool) -> String {
        var line = priorityPrefix ? "<\(syslogPriority(level))>" : ""
        line += "\(level.rawValue) \(label): \(oneLine(message))"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(quoted(oneLine(metadata[key]!.description)))"
        }
        return line + "\n"
    }

    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func oneLine(_ s: String) -> String {
        s.contains(where: \.isNewline) ? String(s.map { $0.isNewline ? " " : $0 }) : s
    }

    private static func quoted(_ s: String) -> String {
        s.isEmpty || s.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? jsonString(s) : s
    }
}

extension Logger.Level {
    /// Parses `--log-level`/`MFD_LOG_LEVEL` (trace, debug, info, notice, warning, error, critical).
    public static func parse(_ text: String, field: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw MFServerError.invalidConfiguration(
                field: field, message: "unknown log level '\(text)'; use one of "
                    + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level
    }
}
