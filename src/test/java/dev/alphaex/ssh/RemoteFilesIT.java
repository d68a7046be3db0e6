package dev.alphaex.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTP results fetch on the reused session of the lab's cluster-a. */
class RemoteFilesIT {
    @Test
    void fetchesAtomicallyOnceAndOnTheSameSession(@TempDir Path inbox) throws Exception {
        Lab lab = Lab.require();
        try (SshSessions ssh = lab.sessions()) {
            String dir = "it-results-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            ssh.exec(Lab.A, "mkdir -p " + dir + " && seq 1 20000 > " + dir + "/0.csv && printf 'a,b\\n1,2\\n' > "
                + dir + "/1.csv && printf 'x' > " + dir + "/'odd name;$(x).csv'");
            RemoteFiles files = new RemoteFiles(ssh);
            assertThat(files.list(Lab.A, dir)).extracting(RemoteFiles.RemoteFile::name)
                .containsExactly("0.csv", "1.csv", "odd name;$(x).csv");
            assertThat(files.list(Lab.A, dir + "/nope")).isEmpty();

            RemoteFiles.Fetch first = files.fetch(Lab.A, dir, List.of("0.csv", "1.csv", "7.csv"), inbox);
            assertThat(first.fetched()).containsExactly("0.csv", "1.csv");
            assertThat(first.missing()).containsExactly("7.csv");
            assertThat(Files.readString(inbox.resolve("1.csv"))).isEqualTo("a,b\n1,2\n");
            assertThat(Files.size(inbox.resolve("0.csv"))).isEqualTo(ssh.exec(Lab.A, "stat -c %s " + dir + "/0.csv")
                .stdout().strip().transform(Long::parseLong));

            RemoteFiles.Fetch again = files.fetch(Lab.A, dir, List.of("0.csv", "1.csv", "odd name;$(x).csv"), inbox);
            assertThat(again.fetched()).containsExactly("odd name;$(x).csv");
            assertThat(again.present()).as("already in the local folder: not fetched twice, reported")
                .containsExactly("0.csv", "1.csv");
            try (Stream<Path> left = Files.list(inbox)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
            }
            assertThat(ssh.logins(Lab.A)).isEqualTo(1);
            ssh.exec(Lab.A, "rm -rf " + dir);
        }
    }
}
