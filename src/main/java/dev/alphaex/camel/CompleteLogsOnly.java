package dev.alphaex.camel;

import dev.alphaex.merge.InboxMerger;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

import java.nio.file.Path;

/**
 * The inbox consumer's filter: a file is a candidate only once the merger says it is complete
 * ({@link InboxMerger#isComplete}: renamed in, or quiet long enough). A plain filter, because the
 * file consumer asks it for every file at every poll: during a backlog of thousands of logs, a
 * {@code filterFile} expression (an exchange and a bean call per file and poll) cost more than the
 * merge itself.
 */
public final class CompleteLogsOnly implements GenericFileFilter<Object> {
    private InboxMerger merger;

    /** The merge bean that decides. */
    public void setMerger(InboxMerger merger) {
        this.merger = merger;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        return file.isDirectory() || merger.isComplete(Path.of(file.getAbsoluteFilePath()));
    }
}
