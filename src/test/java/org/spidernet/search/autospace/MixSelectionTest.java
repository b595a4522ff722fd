package org.spidernet.search.autospace;

import org.junit.jupiter.api.Test;
import org.spidernet.search.darts.DartsOp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixSelectionTest {
    /** No sep_conv_5x5, so it passes the predicate below; fitness 3 makes it the best. */
    private static final AutoCell REFERENCE = AutoCell.parse(
            "0>1:sep_conv_3x3 0>2:skip_connect 1>2:max_pool_3x3 2>3:dil_conv_3x3 1>4:avg_pool_3x3 3>4:dil_conv_5x5");
    private static final Predicate<AutoCell> ANY = c -> true;

    @Test
    void slotZeroIsTheBestAndTheOthersAreDistinctSingleEditsOfMembers() {
        Random r = new Random(41);
        LayerPopulation pop = population(12, r);
        for (int round = 0; round < 200; round++) {
            List<AutoCell> mix = MixSelection.pick(pop, 6, 3, 0.7, ANY, r);
            assertEquals(6, mix.size());
            assertEquals(REFERENCE, mix.get(0));
            assertEquals(6, mix.stream().distinct().count(), mix.toString());
            for (AutoCell child : mix.subList(1, 6)) {
                assertTrue(pop.members().stream().anyMatch(m -> CellEdit.between(m.cell(), child).isPresent()),
                        "one edit from a member: " + child);
            }
        }
    }

    @Test
    void aMixOfOneIsTheReference() {
        assertEquals(List.of(REFERENCE), MixSelection.pick(population(4, new Random(42)), 1, 2, 0.5, ANY, new Random(42)));
    }

    @Test
    void childrenThatTheLimitsRejectAreNeverPicked() {
        // members without sep_conv_5x5, so only an op change brings it in; the predicate must catch those
        Predicate<AutoCell> noSep5 = c -> c.edges().stream().noneMatch(e -> e.op() == DartsOp.SEP_CONV_5X5);
        Random r = new Random(43);
        Set<AutoCell> cells = new LinkedHashSet<>();
        while (cells.size() < 12) {
            AutoCell c = RandomCells.draw(r);
            if (noSep5.test(c)) {
                cells.add(c);
            }
        }
        LayerPopulation pop = new LayerPopulation(cells.stream().map(PopulationMember::unevaluated).toList());
        int unconstrained = 0;
        for (int round = 0; round < 200; round++) {
            List<AutoCell> mix = MixSelection.pick(pop, 5, 3, 0.7, noSep5, r);
            assertTrue(mix.stream().allMatch(noSep5), mix.toString());
            unconstrained += (int) MixSelection.pick(pop, 5, 3, 0.7, ANY, r).stream().filter(noSep5.negate()).count();
        }
        // an op change picks sep_conv_5x5 with odds 1/6: about 0.7 * 4 / 6 per mix without limits
        assertTrue(unconstrained > 50, unconstrained + " children with sep_conv_5x5 in 200 mixes without limits");
    }

    @Test
    void aWinnerWhoseChildrenAllFailIsReplacedByAFreshTournament() {
        // every child of the reference is rejected; the other members' children are not
        Predicate<AutoCell> notNearReference = c -> c.equals(REFERENCE) || CellEdit.between(REFERENCE, c).isEmpty();
        int[] rejected = {0};
        Predicate<AutoCell> counting = c -> {
            boolean ok = notNearReference.test(c);
            rejected[0] += ok ? 0 : 1;
            return ok;
        };
        Random r = new Random(44);
        LayerPopulation pop = population(8, r);
        int slowSlots = 0;
        for (int round = 0; round < 100; round++) {
            rejected[0] = 0;
            List<AutoCell> mix = MixSelection.pick(pop, 2, 1, 0.7, counting, r);
            assertTrue(notNearReference.test(mix.get(1)));
            if (rejected[0] >= MixSelection.TRIES_PER_WINNER) {
                slowSlots++;
            }
        }
        // a tournament of one picks the reference with odds 1/8
        assertTrue(slowSlots > 3, slowSlots + " of 100 slots went on after the reference's children failed");
    }

    @Test
    void aChildMayBeAMemberAlreadyInThePopulation() {
        AutoCell neighbour = CellMutation.changeOp(REFERENCE, new Random(45));
        LayerPopulation pop = new LayerPopulation(List.of(
                new PopulationMember(REFERENCE, 2.0, 1, 1), new PopulationMember(neighbour, 1.0, 1, 1)));
        Random r = new Random(46);
        int members = 0;
        for (int round = 0; round < 2_000; round++) {
            if (MixSelection.pick(pop, 2, 1, 1.0, ANY, r).get(1).equals(neighbour)) {
                members++;
            }
        }
        // the reference has 36 op changes, one of them the neighbour: about 28 of 2000
        assertTrue(members > 10, members + " children equal to the neighbour");
    }

    @Test
    void limitsThatRejectEverythingButTheReferenceFailWithHowFarTheMixGot() {
        LayerPopulation pop = population(10, new Random(47));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MixSelection.pick(pop, 4, 3, 0.7, REFERENCE::equals, new Random(47)));
        assertEquals("AutoSpace selection: found only 1 of 4 cells after 64 failed draws for one slot; "
                + "the resource limits or the population are too tight", e.getMessage());
    }

    @Test
    void aReferenceOutsideTheLimitsFailsByName() {
        LayerPopulation pop = population(10, new Random(48));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MixSelection.pick(pop, 4, 3, 0.7, c -> !c.equals(REFERENCE), new Random(48)));
        assertEquals("AutoSpace selection: the reference cell (the population's best) " + REFERENCE
                + " does not fit the resource limits", e.getMessage());
    }

    @Test
    void theSameSeedPicksTheSameMix() {
        LayerPopulation pop = population(12, new Random(49));
        List<AutoCell> a = MixSelection.pick(pop, 8, 3, 0.7, ANY, new Random(50));
        assertEquals(a, MixSelection.pick(pop, 8, 3, 0.7, ANY, new Random(50)));
        assertNotEquals(a, MixSelection.pick(pop, 8, 3, 0.7, ANY, new Random(51)));
    }

    @Test
    void badArgumentsAreRejectedByName() {
        LayerPopulation pop = population(5, new Random(52));
        assertEquals("AutoSpace selection: 0 cells per mix, needs at least 1", assertThrows(IllegalArgumentException.class,
                () -> MixSelection.pick(pop, 0, 2, 0.5, ANY, new Random(52))).getMessage());
        assertEquals("AutoSpace population: tournament size 7 is not in 1..6", assertThrows(IllegalArgumentException.class,
                () -> MixSelection.pick(pop, 1, 7, 0.5, ANY, new Random(52))).getMessage());
        assertEquals("AutoSpace mutation: op-change rate 2.0 is not in [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> MixSelection.pick(pop, 1, 2, 2.0, ANY, new Random(52))).getMessage());
    }

    /** {@code randomCells} random members, some of them weighed, plus {@link #REFERENCE} as the clear best. */
    private static LayerPopulation population(int randomCells, Random r) {
        LayerPopulation pop = LayerPopulation.initial(randomCells, r);
        double[] values = new double[randomCells / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = 2 * r.nextDouble();
        }
        pop = pop.withEvaluated(pop.members().stream().map(PopulationMember::cell).limit(values.length).toList(), values, 0.5);
        return pop.withEvaluated(List.of(REFERENCE), new double[] {3.0}, 0.5).aged();
    }
}
