package dev.alphaex.merge;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogReaderTest {
    private final LogReader reader = new LogReader("step");

    private RunLog read(String text) throws BadLogException {
        return reader.read("7.csv", text.getBytes(StandardCharsets.UTF_8));
    }

    private void refused(String text, long line, String... words) {
        refused(text.getBytes(StandardCharsets.UTF_8), line, words);
    }

    private void refused(byte[] bytes, long line, String... words) {
        assertThatThrownBy(() -> reader.read("7.csv", bytes))
                .isInstanceOfSatisfying(BadLogException.class, e -> {
                    assertThat(e.file()).isEqualTo("7.csv");
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("7.csv").contains(words);
                });
    }

    @Test
    void readsAHeaderAndRowsOfNumbersKeepingTheJobsText() throws Exception {
        RunLog log = read("step,reward,optimal_action\n1,0.25,0\n2,1.5e-1,1\r\n3,-2,1\n\n");
        assertThat(log.columns()).containsExactly("step", "reward", "optimal_action");
        assertThat(log.rows()).isEqualTo(3);
        assertThat(log.column(1)).containsExactly(0.25, 0.15, -2.0);
        assertThat(log.cell(1, 1)).isEqualTo("1.5e-1");
    }

    @Test
    void skipsAUtf8ByteOrderMarkAndQuotesAndBlanksAroundCells() throws Exception {
        RunLog log = read("\uFEFFstep, reward\n1, \"0.5\"\n");
        assertThat(log.columns()).containsExactly("step", "reward");
        assertThat(log.cell(0, 1)).isEqualTo("0.5");
    }

    @Test
    void refusesAnEmptyFile() {
        refused("", 0, "empty file");
    }

    @Test
    void refusesAFileOfBlankLines() {
        refused("\n\n", 0, "no header");
    }

    @Test
    void refusesAHeaderOnly() {
        refused("step,reward\n", 1, "header only");
    }

    @Test
    void refusesAFileWithoutHeader() {
        refused("1,0.5\n2,0.7\n", 1, "header row");
    }

    @Test
    void refusesRaggedRowsNamingTheLine() {
        refused("step,reward\n1,0.5\n2\n", 3, "1 field", "header (line 1) has 2");
        refused("step,reward\n1,0.5\n2,0.5,9\n", 3, "3 fields");
    }

    @Test
    void refusesNonNumericValuesNamingLineAndColumn() {
        refused("step,reward\n1,0.5\n2,abc\n", 3, "column 'reward' (field 2)", "'abc' is not a number");
        refused("step,reward\n1,\n", 2, "is empty");
        refused("step,reward\n1,1f\n", 2, "'1f' is not a number");
    }

    @Test
    void refusesNaNAndInfinity() {
        refused("step,reward\n1,0.5\n2,nan\n", 3, "NaN and infinite values are refused");
        refused("step,reward\n1,-inf\n", 2, "refused");
        refused("step,reward\n1,1e999\n", 2, "beyond the range");
    }

    @Test
    void refusesBytesThatAreNotUtf8NamingTheLineAndOffset() {
        byte[] bytes = "step,reward\n1,0.5\n2,0.\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        refused(bytes, 3, "not UTF-8", "0xE9", "byte offset 22");
    }

    @Test
    void refusesEmptyOrRepeatedColumnNames() {
        refused("step,,reward\n1,2,3\n", 1, "field 2 is empty");
        refused("step,reward,reward\n1,2,3\n", 1, "'reward' twice");
    }

    @Test
    void refusesStepsThatDoNotIncrease() {
        refused("step,reward\n1,0\n2,0\n2,0\n", 4, "must increase", "2 follows 2");
    }

    @Test
    void refusesMalformedQuoting() {
        refused("step,reward\n1,\"0.5\n", 0, "malformed CSV");
    }

    @Test
    void linesCountBlankLinesAndCrLf() {
        refused("step,reward\r\n\r\n1,0.5\r\n2,x\r\n", 4, "'x'");
    }

    @Test
    void cellsReadFromTheFilesBytesAgreeWithCommonsCsvOnQuotesBlanksLineEndsAndBlankLines() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        org.apache.commons.csv.CSVFormat format = org.apache.commons.csv.CSVFormat.RFC4180.builder()
                .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get();
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder(rnd.nextInt(4) == 0 ? "\uFEFF" : "");
            String eol = rnd.nextBoolean() ? "\n" : "\r\n";
            sb.append("step,a,b").append(eol);
            int rows = rnd.nextInt(1, 12);
            for (int r = 0; r < rows; r++) {
                if (rnd.nextInt(8) == 0) {
                    sb.append(eol); // a blank line
                }
                String[] cells = {Integer.toString(r + 1), Double.toString(rnd.nextGaussian()), Long.toString(rnd.nextLong(-99, 99))};
                for (int c = 0; c < 3; c++) {
                    String cell = cells[c];
                    switch (rnd.nextInt(10)) {
                        case 0 -> cell = "\"" + cell + "\"";
                        case 1 -> cell = " " + cell;
                        case 2 -> cell = cell + "\t";
                        default -> { }
                    }
                    sb.append(c == 0 ? "" : ",").append(cell);
                }
                if (r < rows - 1 || rnd.nextBoolean()) {
                    sb.append(eol);
                }
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            RunLog log = reader.read("7.csv", bytes);
            String text = sb.charAt(0) == '\uFEFF' ? sb.substring(1) : sb.toString();
            List<org.apache.commons.csv.CSVRecord> records;
            try (var p = org.apache.commons.csv.CSVParser.parse(text, format)) {
                records = p.getRecords();
            }
            assertThat(log.rows()).as(text).isEqualTo(records.size() - 1);
            for (int r = 0; r < log.rows(); r++) {
                for (int c = 0; c < 3; c++) {
                    String expected = records.get(r + 1).get(c);
                    assertThat(log.cell(r, c)).as(text).isEqualTo(expected);
                    assertThat(log.column(c)[r]).as(text).isEqualTo(Double.parseDouble(expected));
                }
            }
        }
    }

    @Test
    void numbersAreTheJdksDoublesBitForBit() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        StringBuilder sb = new StringBuilder("step,v\n");
        List<String> cells = new java.util.ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            String cell = switch (i % 5) {
                case 0 -> Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-300, 300)));
                case 1 -> Double.toString(Double.longBitsToDouble(rnd.nextLong() & 0x7FEFFFFFFFFFFFFFL));
                case 2 -> String.format(java.util.Locale.ROOT, "%.6f", rnd.nextDouble(-1e6, 1e6));
                case 3 -> String.format(java.util.Locale.ROOT, "%.18e", rnd.nextGaussian());
                default -> Long.toString(rnd.nextLong(-1_000_000_000_000L, 1_000_000_000_000L)) + "." + rnd.nextInt(0, 1000);
            };
            cells.add(cell.replace("E", "e"));
            sb.append(i + 1).append(',').append(cells.get(i)).append('\n');
        }
        RunLog log = read(sb.toString());
        for (int i = 0; i < cells.size(); i++) {
            assertThat(Double.doubleToRawLongBits(log.column(1)[i])).as(cells.get(i))
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(cells.get(i))));
        }
    }
}
