package org.spidernet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.reference.ReferenceBackend;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.data.TrainingData;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.InputSpec;
import org.spidernet.search.ScoreSplitJob;
import org.spidernet.search.ScoringScale;
import org.spidernet.train.SyntheticImages;

/** Jobs and outcomes through their wire forms: exact doubles, typed failures, one-line refusals. */
class JobWireTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void doublesComeBackBitForBit() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        ObjectNode value = MAPPER.createObjectNode();
        ArrayNode xs = value.putArray("xs");
        double[] drawn = new double[1000];
        for (int i = 0; i < drawn.length; i++) {
            // every scale and sign, subnormals included
            drawn[i] = Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL) * (r.nextBoolean() ? 1 : -1);
            xs.add(drawn[i]);
        }
        JobOutcome back = JobOutcome.fromJson(JobOutcome.of(value).toJson());
        for (int i = 0; i < drawn.length; i++) {
            assertEquals(Double.doubleToLongBits(drawn[i]), Double.doubleToLongBits(back.value().get("xs").get(i).asDouble()),
                    "element " + i + " (seed " + seed + ")");
        }
        Job job = new Job("anything", value);
        assertEquals(job.toJson(), Job.fromJson(job.toJson()).toJson());
    }

    @Test
    void failuresKeepTheirKindAndMessage() {
        for (FailureKind k : FailureKind.values()) {
            JobOutcome o = JobOutcome.fromJson(JobOutcome.failed(k, "why: " + k).toJson());
            assertFalse(o.ok());
            assertEquals(k, o.failure());
            assertEquals("why: " + k, o.message());
            IllegalStateException e = assertThrows(IllegalStateException.class, o::value);
            assertTrue(e.getMessage().contains(k.jsonName()), e.getMessage());
        }
    }

    @Test
    void badWireFormsAndUnknownKindsAreOneLineErrors() {
        assertEquals("job: expected {\"kind\": NAME, \"spec\": {...}}",
                assertThrows(IllegalArgumentException.class, () -> Job.fromJson("{\"kind\": 3}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Job.fromJson("{")).getMessage().startsWith("job: not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobOutcome.fromJson("{\"failure\": \"tired\"}"))
                .getMessage().contains("unknown job failure kind 'tired'"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobKinds.run(new Job("no-such-kind", MAPPER.createObjectNode()), null));
        assertTrue(e.getMessage().contains("unknown job kind 'no-such-kind'") && e.getMessage().contains(ScoreSplitJob.NAME),
                e.getMessage());
    }

    @Test
    void aCandidateTheDeviceCannotHoldIsATypedOutOfMemoryOutcome() {
        long seed = System.nanoTime();
        ImageDataset images = SyntheticImages.make(40, 3, 8, seed);
        HoldoutSplit hold = HoldoutSplit.lastN(images, 8);
        DataRef dataRef = new DataRef("synthetic", null, null, 8, 8);
        Genome g = Genome.initial(new InputSpec(images.channels(), images.height(), images.width(), images.numClasses()), 2, 1);
        EdgeSplit split = EdgeSplit.candidates(g, 0).get(0);
        for (long capacity : new long[]{4096, 1L << 32}) {
            BackendRef backendRef = new BackendRef("reference", capacity);
            try (ReferenceBackend b = new ReferenceBackend(capacity)) {
                RunEnvironment env = new RunEnvironment(b, backendRef, new TrainingData("synthetic",
                        new DatasetSplit(images, images.subset(0, 8)), hold), dataRef);
                Job job = ScoreSplitJob.job(g, split, seed, new ScoreSplitJob.Settings(List.of("ntk_centred", "lrc"), 1,
                        new ScoringScale(1, 6, 1, 12), dataRef, backendRef));
                JobOutcome o = new InProcessEvaluation(env).run(List.of(job)).get(0);
                if (capacity == 4096) {
                    assertEquals(FailureKind.OUT_OF_MEMORY, o.failure(), "4 KiB cannot hold a candidate: " + o);
                    assertTrue(o.message().startsWith("scoring ran out of device memory"), o.message());
                    assertEquals(0, b.memory().liveTensors(), "a failed job frees what it allocated");
                } else {
                    assertTrue(o.ok(), "4 GiB holds it: " + o);
                    assertEquals(ScoreSplitJob.scores(o.value()).deltas().keySet(), java.util.Set.of("ntk_centred", "lrc"));
                }
            }
        }
    }
}
