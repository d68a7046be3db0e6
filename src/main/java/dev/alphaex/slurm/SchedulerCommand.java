package dev.alphaex.slurm;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Slurm client programs that ask the scheduler (slurmctld, or slurmdbd for sacct and sacctmgr), counted
 * per cluster by {@link SchedulerCommandCounter}. {@link #in(String)} reads them off a command line as the
 * remote shell will run it, so the engine counts what it sends without each command builder keeping books.
 */
public enum SchedulerCommand {
    SQUEUE, SACCT, SBATCH, SCONTROL, SCANCEL, SACCTMGR;

    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    /** Reserved words after which the next word is again a command. */
    private static final Set<String> LEADING = Set.of("if", "then", "else", "elif", "do", "while", "until", "!", "{", "time");

    /** The program's name, e.g. {@code squeue}. */
    public String program() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * How many times each scheduler program is run by {@code commandLine}: words in command position (at the
     * start, after {@code ; & | && || ( $(} and newlines, after {@code if then do ...}, after variable
     * assignments such as {@code TZ=UTC}), by their name or a path ending in it. Quoted text and arguments do not
     * count ({@code --name='squeue'}, {@code command -v sbatch}, {@code for p in squeue}). A command in a loop
     * counts once: the builders of this package send none.
     */
    public static Map<SchedulerCommand, Integer> in(String commandLine) {
        Map<SchedulerCommand, Integer> counts = new EnumMap<>(SchedulerCommand.class);
        new Scanner(commandLine, counts).run();
        return counts;
    }

    private static final class Scanner {
        private final String s;
        private final Map<SchedulerCommand, Integer> counts;
        /** One entry per open $( ... ) or "...": true for a double-quoted string. */
        private final Deque<Boolean> nesting = new ArrayDeque<>();
        /** Per open command context: the next word is in command position. */
        private final Deque<Boolean> commandPosition = new ArrayDeque<>();
        private final StringBuilder word = new StringBuilder();
        private boolean wordQuoted;
        private int i;

        Scanner(String s, Map<SchedulerCommand, Integer> counts) {
            this.s = s == null ? "" : s;
            this.counts = counts;
        }

        void run() {
            commandPosition.push(true);
            while (i < s.length()) {
                char c = s.charAt(i);
                boolean inString = !nesting.isEmpty() && nesting.peek();
                if (inString) {
                    string(c);
                } else {
                    code(c);
                }
                i++;
            }
            endWord();
        }

        private void string(char c) {
            wordQuoted = true;
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                nesting.pop();
            } else if (c == '$' && next() == '(') {
                i++;
                openSubstitution();
            }
        }

        private void code(char c) {
            switch (c) {
                case '\\' -> {
                    i++;
                    wordQuoted = true;
                }
                case '\'' -> {
                    int end = s.indexOf('\'', i + 1);
                    i = end < 0 ? s.length() : end;
                    wordQuoted = true;
                }
                case '"' -> {
                    nesting.push(true);
                    wordQuoted = true;
                }
                case '$' -> {
                    if (next() == '(') {
                        i++;
                        openSubstitution();
                    } else {
                        word.append(c);
                    }
                }
                case ' ', '\t' -> endWord();
                case ';', '|', '\n', '(' -> operator();
                case '&' -> {
                    int len = word.length();
                    if (len > 0 && (word.charAt(len - 1) == '>' || word.charAt(len - 1) == '<')) {
                        word.append(c); // 2>&1
                    } else {
                        operator();
                    }
                }
                case ')' -> {
                    endWord();
                    if (!nesting.isEmpty()) { // end of $( ... )
                        nesting.pop();
                        commandPosition.pop();
                    }
                }
                default -> word.append(c);
            }
        }

        private void openSubstitution() {
            endWordKeepingQuote();
            wordQuoted = false;
            nesting.push(false);
            commandPosition.push(true);
        }

        private void operator() {
            endWord();
            commandPosition.pop();
            commandPosition.push(true);
        }

        private char next() {
            return i + 1 < s.length() ? s.charAt(i + 1) : 0;
        }

        /** A word interrupted by $( ... ) inside it: the part before is not a command name. */
        private void endWordKeepingQuote() {
            if (word.length() > 0 && commandPosition.peek()) {
                String w = word.toString();
                if (!ASSIGNMENT.matcher(w).matches()) {
                    setCommandPosition(false);
                }
            }
            word.setLength(0);
        }

        private void endWord() {
            if (word.length() == 0 && !wordQuoted) {
                return;
            }
            String w = word.toString();
            boolean quoted = wordQuoted;
            word.setLength(0);
            wordQuoted = false;
            if (!commandPosition.peek()) {
                return;
            }
            if (ASSIGNMENT.matcher(w).matches() || (!quoted && LEADING.contains(w))) {
                return; // still in command position
            }
            setCommandPosition(false);
            if (!quoted) {
                String name = w.substring(w.lastIndexOf('/') + 1);
                for (SchedulerCommand k : values()) {
                    if (k.program().equals(name)) {
                        counts.merge(k, 1, Integer::sum);
                    }
                }
            }
        }

        private void setCommandPosition(boolean value) {
            commandPosition.pop();
            commandPosition.push(value);
        }
    }
}
