package dev.alphaex.campaign;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobListTest {
    @Test
    void readsAlphaExJobListsWithInclusiveRanges() {
        assertThat(JobList.parse("[[1,4], 6, [102,105]]", "campaign.jobs"))
                .containsExactly(1, 2, 3, 4, 6, 102, 103, 104, 105);
        assertThat(JobList.parse("[3, 1, [2, 3]]", "x")).containsExactly(1, 2, 3);
        assertThat(JobList.parse("250", "x")).hasSize(250).startsWith(0, 1).endsWith(249);
    }

    @Test
    void namesThePlaceOfBadElements() {
        assertThatThrownBy(() -> JobList.parse("[[4,1]]", "campaign.jobs")).hasMessage("campaign.jobs: element 0: range [4,1] ends before it starts");
        assertThatThrownBy(() -> JobList.parse("[1, \"a\"]", "campaign.jobs")).hasMessage("campaign.jobs: element 1: expected an index or [first,last], found \"a\"");
        assertThatThrownBy(() -> JobList.parse("[-1]", "campaign.jobs")).hasMessageContaining("negative");
        assertThatThrownBy(() -> JobList.parse("[1,", "campaign.jobs")).hasMessageStartingWith("campaign.jobs: not JSON");
        assertThatThrownBy(() -> JobList.parse("[]", "campaign.jobs")).hasMessageContaining("no job");
    }
}
