package dev.alphaex.slurm;

import static dev.alphaex.slurm.SlurmProtocolTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alphaex.cluster.ClusterException;
import dev.alphaex.cluster.ClusterException.Kind;
import dev.alphaex.cluster.CommandResult;
import dev.alphaex.cluster.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TakeBack against answers of the lab (src/test/resources/slurm/takeback-*, see README there). */
class TakeBackTest {
    private static final List<Long> MIXED = List.of(2L, 3L, 8L, 9L, 10L, 15L, 19L);

    @Test
    void commandHoldsThenCancelsOnlyWhenEveryIdAnsweredThenReleasesPerChunk() {
        String cmd = new TakeBack(3).command("1234", List.of(19L, 2L, 3L, 8L, 9L, 10L, 15L, 3L));
        assertThat(cmd).startsWith("trap '' HUP PIPE; o=$(scontrol hold '1234_[2-3,8]' 2>&1); r=$?;")
            .contains("then scancel --state=PENDING '1234_[2-3,8]' 2>&1; echo \"@@alphaex:scancel:$?\"; fi;"
                + " scontrol release '1234_[2-3,8]' 2>&1; echo \"@@alphaex:release:$?\";")
            .contains("scontrol hold '1234_[9-10,15]'").contains("scontrol hold '1234_[19]'")
            .endsWith("squeue -h -r -t all -j '1234' -O 'JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,exit_code:|,Reason:';"
                + " echo \"@@alphaex:squeue:$?\"");
        // the cancel is guarded: it never runs on ids the hold did not answer for
        assertThat(cmd.indexOf("scancel")).isGreaterThan(cmd.indexOf("if [ \"$r\" = 0 ] || ! printf"));
    }

    @Test
    void commandRefusesBadInput() {
        assertThatThrownBy(() -> new TakeBack().command("12;x", List.of(1L))).hasMessageContaining("not a Slurm job id");
        assertThatThrownBy(() -> new TakeBack().command("12", List.of())).hasMessageContaining("no task ids");
        assertThatThrownBy(() -> new TakeBack().command("12", List.of(-1L))).hasMessageContaining("not a task id");
        assertThatThrownBy(() -> new TakeBack(0)).hasMessageContaining("at least 1");
    }

    /** Tasks 0,1,3,4 running, 2 completed: 8,9,10,15,19 taken back, 2 and 3 had started; exit 1 lines are benign. */
    @Test
    void takenBackAndStartedFromARealAnswer() throws ClusterException {
        TakeBack.Result r = new TakeBack(3).parse("5937", MIXED,
            new CommandResult(0, fixture("takeback-mixed.stdout"), ""));
        assertThat(r.takenBack()).containsExactly(8L, 9L, 10L, 15L, 19L);
        assertThat(r.started()).isEqualTo(Map.of(2L, TaskState.COMPLETED, 3L, TaskState.RUNNING));
        assertThat(r.notTaken()).isEmpty();
        assertThat(r.notFound()).isEmpty();
        assertThat(r.notes()).as("'Job has already finished' and 'Invalid job id' for an ended id are no trouble").isEmpty();
    }

    /** The hold kept the pending remainder as one record; its CANCELLED line has no task id, yet each id is named. */
    @Test
    void wholeRemainderCancelledAsOneRecord() throws ClusterException {
        TakeBack.Result r = new TakeBack().parse("5948", List.of(0L, 1L, 2L, 3L, 4L, 5L),
            new CommandResult(0, fixture("takeback-remainder.stdout"), ""));
        assertThat(r.takenBack()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(r.started()).isEqualTo(Map.of(0L, TaskState.RUNNING));
    }

    @Test
    void unknownJobFindsNothing() throws ClusterException {
        TakeBack.Result r = new TakeBack().parse("99999999", List.of(1L, 2L),
            new CommandResult(0, fixture("takeback-unknown.stdout"), fixture("takeback-unknown.stderr")));
        assertThat(r.notFound()).containsExactly(1L, 2L);
        assertThat(r.takenBack()).isEmpty();
    }

    /** slurmctld down: the hold got no answer, so no cancel ran; squeue failed: the outcome is unknown, send again. */
    @Test
    void slurmctldDownIsUnreachableAndNothingWasCancelled() {
        String out = fixture("takeback-slurmctld-down.stdout");
        assertThat(out).doesNotContain("@@alphaex:scancel");
        assertThatThrownBy(() -> new TakeBack(3).parse("5937", List.of(2L, 3L, 8L),
            new CommandResult(0, out, fixture("takeback-slurmctld-down.stderr"))))
            .isInstanceOf(ClusterException.class)
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("send it again").hasMessageContaining("Unable to contact slurm controller");
    }

    @Test
    void answerCutShortIsUnreachable() {
        String cut = fixture("takeback-mixed.stdout");
        cut = cut.substring(0, cut.indexOf("@@alphaex:release:1") + 20);
        String answer = cut;
        assertThatThrownBy(() -> new TakeBack(3).parse("5937", MIXED, new CommandResult(255, answer, "")))
            .satisfies(e -> assertThat(((ClusterException) e).kind()).isEqualTo(Kind.UNREACHABLE))
            .hasMessageContaining("cut short");
    }

    /** A hold that did go through for a pending id but whose cancel failed leaves it queued: reported not taken. */
    @Test
    void pendingAfterTheSequenceIsNotTaken() throws ClusterException {
        String out = "Socket timed out on send/recv operation\n@@alphaex:hold:1\n@@alphaex:release:0\n"
            + "7|7|4|PENDING|0|JobArrayTaskLimit\n8|7|0|RUNNING|0|None\n@@alphaex:squeue:0\n";
        TakeBack.Result r = new TakeBack().parse("7", List.of(4L), new CommandResult(0, out, ""));
        assertThat(r.notTaken()).containsExactly(4L);
        assertThat(r.notes()).singleElement().asString().contains("hold exit 1").contains("Socket timed out");
    }
}
