package io.friendliflink.api.request;

/** The {@code role} of a chat message (the OpenAI roles the API accepts). */
public enum Role {
    SYSTEM("system"),
    USER("user"),
    ASSISTANT("assistant"),
    TOOL("tool");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The role for a wire name, or {@code null} when there is none. */
    static Role fromWire(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
