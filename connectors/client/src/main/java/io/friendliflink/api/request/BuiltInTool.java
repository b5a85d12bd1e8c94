package io.friendliflink.api.request;

/** The built-in tools of tool-assisted chat that take no settings, by their wire {@code type}. */
public enum BuiltInTool {
    MATH_CALCULATOR("math:calculator"),
    MATH_STATISTICS("math:statistics"),
    MATH_CALENDAR("math:calendar"),
    WEB_SEARCH("web:search"),
    WEB_URL("web:url"),
    CODE_PYTHON_INTERPRETER("code:python-interpreter"),
    LINKUP_SEARCH("linkup:search");

    private final String wireName;

    BuiltInTool(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The tool for a wire name, or {@code null} when there is none. */
    static BuiltInTool fromWire(String name) {
        for (BuiltInTool tool : values()) {
            if (tool.wireName.equals(name)) {
                return tool;
            }
        }
        return null;
    }
}
