// JSON text for the experiment log's parameter and metric columns, without Foundation.

/// Minimal JSON writing for experiment parameters and metrics (the core avoids Foundation here).
public enum JSONText {
    /// A JSON object from (key, value) pairs in order. NaN and infinities, which JSON cannot
    /// express, become null.
    public static func object(_ pairs: [(String, TableValue)]) -> String {
        "{" + pairs.map { quote($0.0) + ":" + value($0.1) }.joined(separator: ",") + "}"
    }

    public static func value(_ v: TableValue) -> String {
        switch v {
        case .null: return "null"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : "null"
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return quote(s)
        }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
