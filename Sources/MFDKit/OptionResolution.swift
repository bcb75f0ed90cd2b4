import MFServer

/// Resolves one daemon setting: command-line flag, then environment variable, then default.
public enum OptionResolution {
    /// `flag ?? parse(env[name]) ?? fallback`. An empty variable counts as unset.
    /// A variable that does not parse throws `invalid_configuration` naming it.
    public static func resolve<T>(
        flag: T?, environment: [String: String], name: String,
        parse: (String) -> T?, default fallback: @autoclosure () -> T
    ) throws -> T {
        if let flag { return flag }
        if let text = environment[name], !text.isEmpty {
            guard let value = parse(text) else {
                throw MFServerError.invalidConfiguration(field: name, message: "cannot parse '\(text)'")
            }
            return value
        }
        return fallback()
    }

    /// As `resolve`, for optional settings with no default.
    public static func resolve<T>(
        flag: T?, environment: [String: String], name: String, parse: (String) -> T?
    ) throws -> T? {
        try resolve(flag: flag.map(Optional.some), environment: environment, name: name,
                    parse: { parse($0).map(Optional.some) }, default: nil)
    }
}
