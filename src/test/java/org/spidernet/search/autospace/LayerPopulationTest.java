package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerPopulationTest {
    private static final List<AutoCell> CELLS = distinctCells(6, new Random(31));

    @Test
    void anInitialPopulationHoldsDistinctUnevaluatedCellsAndDependsOnlyOnTheSeed() {
        LayerPopulation p = LayerPopulation.initial(50, new Random(32));
        assertEquals(50, p.size());
        assertEquals(50, p.members().stream().map(PopulationMember::cell).distinct().count());
        assertTrue(p.members().stream().allMatch(m -> m.fitness() == 1.0 && m.age() == 0 && m.evaluations() == 0));
        assertEquals(p, LayerPopulation.initial(50, new Random(32)));
        assertEquals(0, p.best(), "all tied: the first");
    }

    @Test
    void theBestHasTheHighestFitnessThenMostEvaluationsThenTheHighestAgeThenTheLowestIndex() {
        assertEquals(1, population(m(0, 1.0, 0, 0), m(1, 1.5, 0, 1), m(2, 1.2, 9, 9)).best());
        assertEquals(2, population(m(0, 1.5, 5, 1), m(1, 1.5, 0, 2), m(2, 1.5, 1, 3)).best());
        assertEquals(1, population(m(0, 1.5, 2, 3), m(1, 1.5, 4, 3), m(2, 1.5, 3, 3)).best());
        assertEquals(1, population(m(0, 1.4, 2, 3), m(1, 1.5, 4, 3), m(2, 1.5, 4, 3)).best());
    }

    @Test
    void topListsCellsBestFirstInTheOrderOfBest() {
        LayerPopulation p = population(m(0, 0.5, 0, 1), m(1, 1.5, 1, 2), m(2, 1.5, 1, 3), m(3, 2.0, 0, 1), m(4, 0.5, 2, 1));
        assertEquals(List.of(c(3), c(2), c(1), c(4), c(0)), p.top(5));
        assertEquals(List.of(c(3), c(2)), p.top(2));
        assertEquals(p.cell(p.best()), p.top(1).get(0));
        assertMessage("AutoSpace population: top 6 is not in 1..5", () -> p.top(6));
        assertMessage("AutoSpace population: top 0 is not in 1..5", () -> p.top(0));
    }

    @Test
    void aTournamentOfEveryoneIsWonByTheBestAndOfOneIsUniform() {
        LayerPopulation p = population(m(0, 0.5, 0, 1), m(1, 1.2, 0, 1), m(2, 2.0, 0, 1), m(3, 0.7, 0, 1), m(4, 1.0, 0, 1));
        Random r = new Random(33);
        int[] wins = new int[5];
        int draws = 10_000;
        for (int i = 0; i < draws; i++) {
            assertEquals(2, p.tournament(5, r));
            wins[p.tournament(1, r)]++;
        }
        for (int w : wins) {
            // one standard error of a 1/5 share is 0.004
            assertEquals(0.2, w / (double) draws, 0.02);
        }
    }

    @Test
    void aTournamentDrawsDistinctMembers() {
        // of four distinct members out of five the best is missing with odds 1/5; drawn with
        // replacement it would be missing with odds (4/5)^4 = 0.41
        LayerPopulation p = population(m(0, 0.5, 0, 1), m(1, 1.2, 0, 1), m(2, 2.0, 0, 1), m(3, 0.7, 0, 1), m(4, 1.0, 0, 1));
        Random r = new Random(34);
        int[] wins = new int[5];
        int draws = 10_000;
        for (int i = 0; i < draws; i++) {
            wins[p.tournament(4, r)]++;
        }
        assertEquals(0.8, wins[2] / (double) draws, 0.02, "the best");
        assertEquals(0.2, wins[1] / (double) draws, 0.02, "the second, when the best is left out");
        assertEquals(0, wins[0] + wins[3] + wins[4]);
        assertMessage("AutoSpace population: tournament size 6 is not in 1..5", () -> p.tournament(6, r));
        assertMessage("AutoSpace population: tournament size 0 is not in 1..5", () -> p.tournament(0, r));
    }

    @Test
    void agingAddsOneStepToEveryMemberAndNothingElse() {
        LayerPopulation p = population(m(0, 0.5, 0, 1), m(1, 1.2, 3, 2));
        assertEquals(population(m(0, 0.5, 1, 1), m(1, 1.2, 4, 2)), p.aged());
    }

    @Test
    void evaluatingAveragesMembersFitnessAndAppendsNewCellsWithTheirValue() {
        LayerPopulation p = population(m(0, 1.0, 2, 0), m(1, 1.5, 4, 2), m(2, 0.8, 1, 1));
        LayerPopulation q = p.withEvaluated(List.of(c(1), c(5), c(0)), new double[] {2.0, 0.5, 0.4}, 0.25);
        // member 1: 0.75 * 1.5 + 0.25 * 2.0 = 1.625; member 0 was never weighed, so it takes 0.4
        assertEquals(population(m(0, 0.4, 2, 1), m(1, 1.625, 4, 3), m(2, 0.8, 1, 1), m(5, 0.5, 0, 1)), q);
    }

    @Test
    void evaluatingRejectsMismatchedOrRepeatedCells() {
        LayerPopulation p = population(m(0, 1.0, 2, 0), m(1, 1.5, 4, 2));
        assertMessage("AutoSpace population: 2 cells evaluated with 1 values, needs one value per cell and at least one cell",
                () -> p.withEvaluated(List.of(c(0), c(1)), new double[] {1.0}, 0.5));
        assertMessage("AutoSpace population: 0 cells evaluated with 0 values, needs one value per cell and at least one cell",
                () -> p.withEvaluated(List.of(), new double[0], 0.5));
        assertMessage("AutoSpace population: cell " + c(2) + " evaluated twice in one step",
                () -> p.withEvaluated(List.of(c(2), c(2)), new double[] {1.0, 1.0}, 0.5));
        assertMessage("AutoSpace fitness: momentum 0.0 is not in (0, 1]",
                () -> p.withEvaluated(List.of(c(2)), new double[] {1.0}, 0.0));
    }

    @Test
    void admittingRemovesTheOldestMembersButNeverTheBest() {
        LayerPopulation p = population(m(0, 1.0, 3, 1), m(1, 1.0, 5, 1), m(2, 3.0, 9, 1), m(3, 1.0, 1, 1), m(4, 1.0, 2, 1));
        assertEquals(population(m(0, 1.0, 3, 1), m(2, 3.0, 9, 1), m(3, 1.0, 1, 1), m(4, 1.0, 2, 1)), p.admit(4));
        assertEquals(population(m(2, 3.0, 9, 1), m(3, 1.0, 1, 1)), p.admit(2));
        assertSame(p, p.admit(5));
        assertSame(p, p.admit(9));
        assertMessage("AutoSpace population: capacity 1 is below 2", () -> p.admit(1));
    }

    @Test
    void amongTheOldestTheLowestFitnessLeavesFirstThenTheLaterMember() {
        LayerPopulation p = population(m(0, 0.9, 4, 1), m(1, 0.6, 4, 1), m(2, 0.6, 4, 1), m(3, 2.0, 1, 1), m(4, 0.1, 3, 1));
        assertEquals(population(m(0, 0.9, 4, 1), m(1, 0.6, 4, 1), m(3, 2.0, 1, 1), m(4, 0.1, 3, 1)), p.admit(4));
        assertEquals(population(m(0, 0.9, 4, 1), m(3, 2.0, 1, 1), m(4, 0.1, 3, 1)), p.admit(3));
        assertEquals(population(m(3, 2.0, 1, 1), m(4, 0.1, 3, 1)), p.admit(2));
    }

    @Test
    void aPopulationNeedsTwoDistinctCells() {
        assertMessage("AutoSpace population: size 1 is below 2", () -> LayerPopulation.initial(1, new Random(35)));
        assertMessage("AutoSpace population: size 1 is below 2", () -> population(m(0, 1.0, 0, 0)));
        assertMessage("AutoSpace population: cell " + c(0) + " appears twice", () -> population(m(0, 1.0, 0, 0), m(0, 2.0, 0, 1)));
    }

    @Test
    void aMemberRejectsAMeaninglessRecordByName() {
        assertMessage("AutoSpace population member " + c(0) + ": fitness NaN is not a finite non-negative number",
                () -> m(0, Double.NaN, 0, 0));
        assertMessage("AutoSpace population member " + c(0) + ": fitness -1.0 is not a finite non-negative number",
                () -> m(0, -1.0, 0, 0));
        assertMessage("AutoSpace population member " + c(0) + ": age -1 and evaluations 0 must not be negative",
                () -> m(0, 1.0, -1, 0));
        assertMessage("AutoSpace population member: no cell", () -> new PopulationMember(null, 1.0, 0, 0));
    }

    private static PopulationMember m(int cell, double fitness, int age, int evaluations) {
        return new PopulationMember(c(cell), fitness, age, evaluations);
    }

    private static AutoCell c(int i) {
        return CELLS.get(i);
    }

    private static LayerPopulation population(PopulationMember... members) {
        return new LayerPopulation(List.of(members));
    }

    private static List<AutoCell> distinctCells(int n, Random r) {
        Set<AutoCell> cells = new LinkedHashSet<>();
        while (cells.size() < n) {
            cells.add(RandomCells.draw(r));
        }
        return new ArrayList<>(cells);
    }

    private static void assertMessage(String message, Runnable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call::run).getMessage());
    }
}
