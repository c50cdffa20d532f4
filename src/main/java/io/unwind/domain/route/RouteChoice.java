package io.unwind.domain.route;

import java.util.List;
import java.util.Optional;

/** The result of choosing among candidates: the viable ones best first, and the rejected ones with their reasons. */
public record RouteChoice(List<Ranked> ranking, List<Candidate.Rejected> rejected) {
    public RouteChoice {
        ranking = List.copyOf(ranking);
        rejected = List.copyOf(rejected);
    }

    public Optional<Ranked> best() {
        return ranking.isEmpty() ? Optional.empty() : Optional.of(ranking.getFirst());
    }
}
