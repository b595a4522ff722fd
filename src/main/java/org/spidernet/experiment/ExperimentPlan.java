package org.spidernet.experiment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.api.SearchSettings;
import org.spidernet.api.UnknownOptionException;
import org.spidernet.backend.BackendProvider;
import org.spidernet.graph.StrictJson;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SearchDefaults;
import org.spidernet.search.SearchStrategies;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An experiment plan: strategies x seeds under one budget, as a JSON file (docs/experiment.md).
 * {@link #read} checks its structure (known keys only, types, known strategies, seeds present and
 * distinct, budgets positive); {@link #configs} resolves every pair's search configuration through
 * {@link SearchSettings}, the one home of the search defaults and range checks. Either refuses a
 * bad plan with an {@link InvalidPlanException} naming the file and the field.
 *
 * @param strategies the strategies in plan order, labels distinct
 * @param seeds      the seeds in plan order, distinct
 * @param dataset    the dataset's name
 * @param data       its directory, absolute (null: the dataset's default place)
 * @param maxImages  training images each search may see (null: no limit)
 * @param maxSeconds wall-clock seconds each search may spend (null: no limit)
 * @param memory     memory budget in bytes for the planned training peak (null: the machine's default)
 * @param search     the common search settings given
 */
public record ExperimentPlan(List<PlanStrategy> strategies, List<Long> seeds, String dataset, String data, Long maxImages,
                             Double maxSeconds, Long memory, Map<PlanSetting, JsonNode> search) {
    /** The name the plan is copied to in the experiment's directory. */
    public static final String FILE = "plan.json";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> TOP = Set.of("strategies", "seeds", "dataset", "data", "budget", "memory", "search");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public ExperimentPlan {
        strategies = List.copyOf(strategies);
        seeds = List.copyOf(seeds);
        EnumMap<PlanSetting, JsonNode> copy = new EnumMap<>(PlanSetting.class);
        search.forEach((k, v) -> copy.put(k, v.deepCopy()));
        search = Collections.unmodifiableMap(copy);
    }

    /** Every (strategy, seed) pair, strategy-major in plan order: the order they run in. */
    public List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        for (PlanStrategy s : strategies) {
            for (long seed : seeds) {
                out.add(new Pair(s, seed));
            }
        }
        return out;
    }

    /** The backend the plan names ({@code search.backend}), auto by default. */
    public String backend() {
        JsonNode b = search.get(PlanSetting.BACKEND);
        return b != null ? b.textValue() : SearchDefaults.BACKEND;
    }

    /** Reads and checks the plan in {@code file}. */
    public static ExperimentPlan read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidPlanException(file + ": plan file not found");
        } catch (IOException e) {
            throw new InvalidPlanException(file + ": cannot read the plan: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPlanException(file + ": not a UTF-8 text file");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidPlanException(file + ": malformed JSON: " + StrictJson.describe(e));
        }
        return parse(file, root);
    }

    private static ExperimentPlan parse(Path file, JsonNode root) {
        Fault bad = (field, what) -> new InvalidPlanException(file + ": " + field + ": " + what);
        if (root == null || !root.isObject()) {
            throw new InvalidPlanException(file + ": a plan is a JSON object, found " + kind(root));
        }
        unknownKeys(root, TOP, "", bad);
        // strategies
        JsonNode ss = root.get("strategies");
        if (ss == null || !ss.isArray() || ss.isEmpty()) {
            throw bad.at("strategies", ss == null ? "missing (a list of strategy names, see spidernet strategies)"
                    : "expected a non-empty array, found " + kind(ss));
        }
        List<PlanStrategy> strategies = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < ss.size(); i++) {
            String field = "strategies[" + i + "]";
            PlanStrategy s = strategy(ss.get(i), field, bad);
            if (!labels.add(s.label())) {
                throw bad.at(field, "label '" + s.label() + "' is used twice (give each run of a strategy a \"label\" of its own)");
            }
            strategies.add(s);
        }
        // seeds
        JsonNode sd = root.get("seeds");
        if (sd == null || !sd.isArray() || sd.isEmpty()) {
            throw bad.at("seeds", sd == null ? "missing (a list of integer seeds)" : "expected a non-empty array, found " + kind(sd));
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < sd.size(); i++) {
            JsonNode v = sd.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad.at("seeds[" + i + "]", "expected an integer, found " + kind(v));
            }
            if (seeds.contains(v.longValue())) {
                throw bad.at("seeds[" + i + "]", "seed " + v.longValue() + " is listed twice");
            }
            seeds.add(v.longValue());
        }
        String dataset = optionalText(root, "dataset", bad);
        String data = optionalText(root, "data", bad);
        if (data != null) {
            try {
                data = Path.of(data).toAbsolutePath().normalize().toString();
            } catch (java.nio.file.InvalidPathException e) {
                throw bad.at("data", "not a path: " + e.getReason());
            }
        }
        // budget
        Long images = null;
        Double seconds = null;
        JsonNode b = root.get("budget");
        if (b != null && !b.isNull()) {
            if (!b.isObject()) {
                throw bad.at("budget", "expected an object with \"images\" and/or \"seconds\", found " + kind(b));
            }
            unknownKeys(b, Set.of("images", "seconds"), "budget.", bad);
            JsonNode im = b.get("images");
            if (im != null) {
                if (!im.isIntegralNumber() || !im.canConvertToLong() || im.longValue() < 1) {
                    throw bad.at("budget.images", "expected a positive integer (training images each search may see), found " + im);
                }
                images = im.longValue();
            }
            JsonNode se = b.get("seconds");
            if (se != null) {
                if (!se.isNumber() || !(se.doubleValue() > 0) || Double.isInfinite(se.doubleValue())) {
                    throw bad.at("budget.seconds", "expected a positive number of seconds, found " + se);
                }
                seconds = se.doubleValue();
            }
        }
        Long memory = null;
        JsonNode m = root.get("memory");
        if (m != null && !m.isNull()) {
            if (!m.isIntegralNumber() || !m.canConvertToLong() || m.longValue() < 1) {
                throw bad.at("memory", "expected a positive integer number of bytes, found " + m);
            }
            memory = m.longValue();
        }
        // common search settings
        Map<PlanSetting, JsonNode> search = new EnumMap<>(PlanSetting.class);
        JsonNode se = root.get("search");
        if (se != null && !se.isNull()) {
            if (!se.isObject()) {
                throw bad.at("search", "expected an object of search settings, found " + kind(se));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = se.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                PlanSetting key = PlanSetting.byKey(e.getKey()).orElseThrow(() -> bad.at("search." + e.getKey(),
                        "unknown setting (known: " + String.join(", ", PlanSetting.keys()) + ")"));
                if (!key.type.accepts(e.getValue())) {
                    throw bad.at("search." + e.getKey(), "expected " + key.type.description + ", found " + kind(e.getValue()));
                }
                search.put(key, e.getValue());
            }
        }
        return new ExperimentPlan(strategies, seeds, dataset != null ? dataset : SearchDefaults.DATASET, data, images, seconds,
                memory, search);
    }

    private static PlanStrategy strategy(JsonNode n, String field, Fault bad) {
        String name;
        String label = null;
        String space = null;
        Map<String, String> options = new LinkedHashMap<>();
        if (n.isTextual()) {
            name = n.textValue();
        } else if (n.isObject()) {
            unknownKeys(n, Set.of("name", "label", "options", "space"), field + ".", bad);
            JsonNode nm = n.get("name");
            if (nm == null || !nm.isTextual()) {
                throw bad.at(field + ".name", nm == null ? "missing" : "expected a string, found " + kind(nm));
            }
            name = nm.textValue();
            JsonNode lb = n.get("label");
            if (lb != null) {
                if (!lb.isTextual()) {
                    throw bad.at(field + ".label", "expected a string, found " + kind(lb));
                }
                label = lb.textValue();
            }
            JsonNode sp = n.get("space");
            if (sp != null) {
                if (!sp.isTextual() || sp.textValue().isBlank()) {
                    throw bad.at(field + ".space", "expected a space's name or file, found " + kind(sp));
                }
                space = SearchSettings.spaceArgument(sp.textValue());
            }
            JsonNode op = n.get("options");
            if (op != null) {
                if (!op.isObject()) {
                    throw bad.at(field + ".options", "expected an object of NAME: VALUE, found " + kind(op));
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = op.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                        throw bad.at(field + ".options." + e.getKey(), "expected a string, number or boolean, found " + kind(v));
                    }
                    options.put(e.getKey(), v.asText());
                }
            }
        } else {
            throw bad.at(field, "expected a strategy name or an object with \"name\", found " + kind(n));
        }
        if (SearchStrategies.find(name).isEmpty()) {
            throw bad.at(field, SearchStrategies.unknown(name));
        }
        String l = label != null ? label : name;
        if (!LABEL.matcher(l).matches()) {
            throw bad.at(field + (label != null ? ".label" : ""), "'" + l + "' cannot name a directory (letters, digits, _ . - only)");
        }
        return new PlanStrategy(l, name, options, space);
    }

    private static void unknownKeys(JsonNode obj, Set<String> known, String prefix, Fault bad) {
        for (Map.Entry<String, JsonNode> property : obj.properties()) {
            String k = property.getKey();
            if (!known.contains(k)) {
                throw bad.at(prefix + k, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String optionalText(JsonNode root, String key, Fault bad) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw bad.at(key, "expected a non-empty string, found " + kind(v));
        }
        return v.textValue();
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String s = v.toString();
        return v.isContainerNode() ? (v.isArray() ? "an array" : "an object") : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private interface Fault {
        InvalidPlanException at(String field, String what);
    }

    /**
     * Every pair's search configuration on a machine of {@code caps}, in {@link #pairs()} order:
     * the plan's settings through {@link SearchSettings#resolve}, whose refusals come back naming
     * {@code file} and the field.
     */
    public Map<Pair, SearchConfig> configs(Path file, BackendProvider.Capabilities caps) {
        Map<Pair, SearchConfig> out = new LinkedHashMap<>();
        for (Pair p : pairs()) {
            try {
                out.put(p, settings(p).resolve(caps));
            } catch (UnknownOptionException e) {
                int i = strategies.indexOf(p.strategy());
                String field = e.getMessage().startsWith("--option") ? "strategies[" + i + "].options" : "strategies[" + i + "]";
                throw new InvalidPlanException(file + ": " + field + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new InvalidPlanException(file + ": " + fieldOf(e.getMessage(), p) + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The plan field that gives {@code p}'s space ({@code strategies[i].space}), for refusals of
     * the space itself, which only the data can check.
     */
    public String spaceField(Pair p) {
        return "strategies[" + strategies.indexOf(p.strategy()) + "].space";
    }

    /** The search settings of one pair, unresolved. */
    SearchSettings settings(Pair p) {
        SearchSettings s = new SearchSettings().strategy(p.strategy().name())
                .dataset(dataset, data != null ? Path.of(data) : null).seed(p.seed());
        if (maxImages != null) {
            s.maxImages(maxImages);
        }
        if (maxSeconds != null) {
            s.maxSeconds(maxSeconds);
        }
        if (memory != null) {
            s.memoryBudget(memory);
        }
        search.forEach((k, v) -> k.apply(s, v));
        p.strategy().options().forEach(s::option);
        s.space(p.strategy().space());
        return s;
    }

    /**
     * The plan field a settings error is about: a common setting when the message starts with its
     * flag or name ({@code --channels ...}, {@code channels must be ...}), else the strategy whose
     * settings were refused.
     */
    private String fieldOf(String message, Pair p) {
        String msg = String.valueOf(message);
        for (PlanSetting k : search.keySet()) {
            // the flag's text, or the configuration's own wording ("final epochs must be >= 1")
            if (msg.startsWith("--" + k.key + " ") || msg.startsWith("--" + k.key + ":")
                    || msg.startsWith(k.key.replace('-', ' ') + " ")) {
                return "search." + k.key;
            }
        }
        if (msg.startsWith("--space")) {
            return spaceField(p);
        }
        if (msg.startsWith("--max-images")) {
            return "budget.images";
        }
        if (msg.startsWith("--max-time")) {
            return "budget.seconds";
        }
        return "search (with strategy " + p.strategy().label() + ")";
    }

    /**
     * The plan as JSON in the form {@link #read} takes (data absolute): what the experiment copies
     * into its directory and resumes from, wherever it is resumed.
     */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode ss = root.putArray("strategies");
        for (PlanStrategy s : strategies) {
            ObjectNode o = ss.addObject();
            o.put("name", s.name());
            o.put("label", s.label());
            if (s.space() != null) {
                o.put("space", s.space());
            }
            ObjectNode op = o.putObject("options");
            s.options().forEach(op::put);
        }
        ArrayNode sd = root.putArray("seeds");
        seeds.forEach(sd::add);
        root.put("dataset", dataset);
        if (data != null) {
            root.put("data", data);
        }
        if (maxImages != null || maxSeconds != null) {
            ObjectNode b = root.putObject("budget");
            if (maxImages != null) {
                b.put("images", maxImages);
            }
            if (maxSeconds != null) {
                b.put("seconds", maxSeconds);
            }
        }
        if (memory != null) {
            root.put("memory", memory);
        }
        ObjectNode se = root.putObject("search");
        search.forEach((k, v) -> se.set(k.key, v.deepCopy()));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serialises", e);
        }
    }
}
