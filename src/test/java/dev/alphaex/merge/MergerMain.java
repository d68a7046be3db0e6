package dev.alphaex.merge;

/**
 * {@code MergerMain SWEEP RESULTS}: starts a merger on a results folder (as the route's bean does),
 * prints {@code started PID} and holds the store until its standard input ends: the other process of
 * the two-process tests.
 */
public final class MergerMain {
    private MergerMain() {
    }

    public static void main(String[] args) throws Exception {
        InboxMerger merger = new InboxMerger();
        merger.setSweep(args[0]);
        merger.setResultsDir(args[1]);
        merger.start();
        System.out.println("started " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the store until the parent closes our input (or kills us)
        }
        merger.close();
    }
}
