package svcmap.topology;

/** The little JSON the procedures write: strings and numbers, null for absent values. */
final class Json {
    private Json() {}

    static StringBuilder string(StringBuilder out, String value) {
        if (value == null) return out.append("null");
        out.append('"');
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }

    static StringBuilder number(StringBuilder out, Number value) {
        if (value == null) return out.append("null");
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) return out.append("null");
        return out.append(value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : value.toString());
    }
}
