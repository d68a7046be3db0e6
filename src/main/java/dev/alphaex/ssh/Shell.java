package dev.alphaex.ssh;

import java.util.regex.Pattern;

/**
 * Quoting for the remote POSIX shell (sh, bash) that runs every command sent over SSH.
 * The one place where text becomes shell words: anything a user, a sweep or a YAML file
 * supplies goes through {@link #quote(String)} and reaches the program verbatim.
 */
public final class Shell {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Shell() {
    }

    /**
     * One shell word that the remote shell turns back into exactly {@code text}: the text in single
     * quotes, each {@code '} written as {@code '\''}. Nothing inside is expanded ($, `, \, !, newlines).
     *
     * @throws IllegalArgumentException if text is null or holds a NUL character (no shell word can carry one)
     */
    public static String quote(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot quote null for the shell");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot reach a remote program: " + visible(text));
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * A path as one shell word; a leading {@code ~/} (or a lone {@code ~}) stays unquoted so that the
     * remote shell expands it to the remote home, the rest is quoted.
     */
    public static String quotePath(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (path.equals("~")) {
            return "~";
        }
        if (path.startsWith("~/")) {
            String rest = path.substring(2);
            return rest.isEmpty() ? "~/" : "~/" + quote(rest);
        }
        return quote(path);
    }

    /**
     * Checks that {@code name} can be an environment variable name in a shell assignment.
     *
     * @return name
     * @throws IllegalArgumentException naming the bad variable
     */
    public static String checkVariableName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid environment variable name: "
                + (name == null ? "null" : visible(name)) + " (letters, digits and _, not starting with a digit)");
        }
        return name;
    }

    private static String visible(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "\"" + shown.replace("\0", "\\0").replace("\n", "\\n") + "\"";
    }
}
