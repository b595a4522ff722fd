package org.spidernet.search.autospace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The cells one layer of the target network chooses among, with their records. Members are
 * ranked by fitness, then by evaluations (more evidence), then by age (longer survival), then by
 * position; this one order decides {@link #best()}, {@link #tournament} and {@link #top}. The
 * population shrinks by aging evolution (Real et al. 2019): the oldest member leaves, except the
 * best, which is every step's reference and so must not be lost.
 *
 * <p>Immutable; cells are distinct. Members keep the order they joined in.
 */
public record LayerPopulation(List<PopulationMember> members) {
    /** The fewest members a population holds: a tournament needs someone besides the best. */
    public static final int MIN_SIZE = 2;

    public LayerPopulation {
        members = List.copyOf(members);
        requireSize(members.size(), "size");
        Set<AutoCell> seen = new HashSet<>();
        for (PopulationMember m : members) {
            if (!seen.add(m.cell())) {
                throw new IllegalArgumentException("AutoSpace population: cell " + m.cell() + " appears twice");
            }
        }
    }

    /** {@code size} distinct random cells, all unevaluated (neutral fitness, age 0). */
    public static LayerPopulation initial(int size, Random r) {
        requireSize(size, "size");
        // the space holds millions of cells, so this loop ends after a few redraws at most
        Set<AutoCell> cells = new LinkedHashSet<>();
        while (cells.size() < size) {
            cells.add(RandomCells.draw(r));
        }
        return new LayerPopulation(cells.stream().map(PopulationMember::unevaluated).toList());
    }

    public int size() {
        return members.size();
    }

    /** Member {@code i}'s cell. */
    public AutoCell cell(int i) {
        return members.get(i).cell();
    }

    /** The index of the best member: highest fitness, then most evaluations, then oldest, then first. */
    public int best() {
        int best = 0;
        for (int i = 1; i < members.size(); i++) {
            if (rank(i, best) < 0) {
                best = i;
            }
        }
        return best;
    }

    /** The index of the best of {@code size} distinct members drawn uniformly. */
    public int tournament(int size, Random r) {
        requireTournamentSize(size);
        int[] order = IntStream.range(0, members.size()).toArray();
        int winner = -1;
        // a partial Fisher-Yates shuffle: the first `size` entries are a uniform draw without repeats
        for (int j = 0; j < size; j++) {
            int k = j + r.nextInt(order.length - j);
            int t = order[j];
            order[j] = order[k];
            order[k] = t;
            if (winner < 0 || rank(order[j], winner) < 0) {
                winner = order[j];
            }
        }
        return winner;
    }

    /** The {@code k} best cells, best first, in the order of {@link #best()}. */
    public List<AutoCell> top(int k) {
        if (k < 1 || k > members.size()) {
            throw new IllegalArgumentException("AutoSpace population: top " + k + " is not in 1.." + members.size());
        }
        return IntStream.range(0, members.size()).boxed().sorted(this::rank).limit(k).map(this::cell).toList();
    }

    /** Every member one step older. */
    public LayerPopulation aged() {
        return new LayerPopulation(members.stream().map(PopulationMember::older).toList());
    }

    /**
     * This population after a step weighed {@code cells} with fitness values {@code values} (see
     * {@link FitnessUpdate#value}): a member's fitness moves by {@link FitnessUpdate#update}; a cell
     * not yet in the population joins with the value as its fitness, age 0.
     */
    public LayerPopulation withEvaluated(List<AutoCell> cells, double[] values, double momentum) {
        if (cells.isEmpty() || cells.size() != values.length) {
            throw new IllegalArgumentException("AutoSpace population: " + cells.size() + " cells evaluated with "
                    + values.length + " values, needs one value per cell and at least one cell");
        }
        Map<AutoCell, Integer> index = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            index.put(cell(i), i);
        }
        List<PopulationMember> next = new ArrayList<>(members);
        Set<AutoCell> seen = new HashSet<>();
        for (int j = 0; j < cells.size(); j++) {
            AutoCell c = cells.get(j);
            if (!seen.add(c)) {
                throw new IllegalArgumentException("AutoSpace population: cell " + c + " evaluated twice in one step");
            }
            Integer i = index.get(c);
            if (i == null) {
                next.add(PopulationMember.unevaluated(c).evaluated(values[j], momentum));
            } else {
                next.set(i, next.get(i).evaluated(values[j], momentum));
            }
        }
        return new LayerPopulation(next);
    }

    /**
     * This population cut to {@code capacity} by removing the oldest member other than the best,
     * again and again (ties: lowest fitness, then the later member).
     */
    public LayerPopulation admit(int capacity) {
        requireSize(capacity, "capacity");
        if (members.size() <= capacity) {
            return this;
        }
        AutoCell reference = cell(best());
        List<PopulationMember> kept = new ArrayList<>(members);
        while (kept.size() > capacity) {
            int victim = -1;
            for (int i = 0; i < kept.size(); i++) {
                PopulationMember m = kept.get(i);
                if (m.cell().equals(reference)) {
                    continue;
                }
                if (victim < 0) {
                    victim = i;
                    continue;
                }
                PopulationMember v = kept.get(victim);
                if (m.age() > v.age() || (m.age() == v.age() && m.fitness() <= v.fitness())) {
                    victim = i;
                }
            }
            kept.remove(victim);
        }
        return new LayerPopulation(kept);
    }

    void requireTournamentSize(int size) {
        if (size < 1 || size > members.size()) {
            throw new IllegalArgumentException("AutoSpace population: tournament size " + size + " is not in 1.." + members.size());
        }
    }

    /** Negative when member i ranks before member j. */
    private int rank(int i, int j) {
        PopulationMember a = members.get(i);
        PopulationMember b = members.get(j);
        int c = Double.compare(b.fitness(), a.fitness());
        if (c == 0) {
            c = Integer.compare(b.evaluations(), a.evaluations());
        }
        if (c == 0) {
            c = Integer.compare(b.age(), a.age());
        }
        return c != 0 ? c : Integer.compare(i, j);
    }

    private static void requireSize(int size, String what) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("AutoSpace population: " + what + " " + size + " is below " + MIN_SIZE);
        }
    }
}
