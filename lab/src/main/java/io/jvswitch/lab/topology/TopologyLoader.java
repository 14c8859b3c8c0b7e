package io.jvswitch.lab.topology;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads topology files: YAML, strict. An unknown key, a duplicate key, a value of the wrong kind, an unknown step
 * is refused with the file, line and column, the key's path and what would be right; then every reference and address
 * is checked ({@link Topology} says what the loader guarantees), all problems reported at once. Keys are snake_case
 * ({@code local_ip}, {@code segmentation_id}); durations are written {@code 300s}, {@code 100ms}, {@code 250us}.
 *
 * <pre>{@code
 * Topology tutorial = TopologyLoader.tutorial();
 * Topology mine = TopologyLoader.load(Path.of("mine.yaml"));
 * }</pre>
 */
public final class TopologyLoader {
    /** Where the tutorial's topology is on the class path. */
    public static final String TUTORIAL_RESOURCE = "/io/jvswitch/lab/tutorial.yaml";

    /** Where the topology of the tutorial's first example (two routers, an L3 GRE tunnel) is on the class path. */
    public static final String L3_GRE_RESOURCE = "/io/jvswitch/lab/l3-gre.yaml";

    private static final ObjectMapper MAPPER = mapper();

    private TopologyLoader() {}

    private static ObjectMapper mapper() {
        SimpleModule durations = new SimpleModule("lab-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        YAMLFactory factory = YAMLFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        ObjectMapper mapper = YAMLMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .enable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
                .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .addModule(durations)
                .build();
        return mapper;
    }

    /** Reads and checks the topology in {@code file}; the file's name is how messages name it. */
    public static Topology load(Path file) throws IOException, TopologyException {
        if (Files.isDirectory(file)) {
            // Reading a directory fails with a bare "Is a directory" that does not say which.
            throw new FileSystemException(file.toString(), null, "is a directory, not a topology file");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String name = file.getFileName().toString();
        return parse(text, name);
    }

    /** The tutorial's topology: three hosts, one GRE network with tunnel id 0x1388, VM1 and VM2. */
    public static Topology tutorial() {
        return bundled(TUTORIAL_RESOURCE);
    }

    /**
     * The tutorial's first example: host A (192.168.1.1) behind router RA, host B (192.168.2.1) behind router RB, the
     * routers 1.1.1.1 and 2.2.2.2 across a routed internet, a GRE tunnel between them carrying bare IP.
     */
    public static Topology l3Gre() {
        return bundled(L3_GRE_RESOURCE);
    }

    private static Topology bundled(String resource) {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        try (InputStream in = TopologyLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TopologyException e) {
            throw new IllegalStateException("the bundled topology " + file + " is broken:\n" + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks a topology from YAML text.
     *
     * @param source how messages name the text (a file name)
     */
    public static Topology parse(String yaml, String source) throws TopologyException {
        Topology raw;
        try {
            raw = MAPPER.readValue(yaml, Topology.class);
        } catch (JsonProcessingException e) {
            throw new TopologyException(List.of(describe(e, source, locations(yaml))));
        }
        if (raw == null) {
            throw new TopologyException(List.of(source + ": the file holds no topology"));
        }
        Map<String, JsonLocation> locations = locations(yaml);
        String defaultName = source.endsWith(".yaml") ? source.substring(0, source.length() - 5) : source;
        return new TopologyValidator(path -> where(source, locations, path)).validate(raw, defaultName);
    }

    /** Every step kind, by the key that introduces it in a script, sorted. */
    public static List<String> stepKinds() {
        return Arrays.stream(Step.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name)
                .sorted()
                .toList();
    }

    // ---------------------------------------------------------------- messages

    private static String where(String source, Map<String, JsonLocation> locations, String path) {
        String pointer = pointer(path);
        JsonLocation location = locations.get(pointer);
        while (location == null && pointer.lastIndexOf('/') > 0) {
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
            location = locations.get(pointer);
        }
        return location == null
                ? source + ": "
                : source + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
    }

    /** {@code hosts[0].vms[1].ip} as a JSON pointer, {@code /hosts/0/vms/1/ip}. */
    private static String pointer(String path) {
        return "/" + path.replace("[", "/").replace("]", "").replace('.', '/');
    }

    /** Where each key and list element starts, by JSON pointer (the first place wins). */
    private static Map<String, JsonLocation> locations(String yaml) {
        Map<String, JsonLocation> locations = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    continue;
                }
                // A map or list that starts has entered its own context already: its place is its parent's.
                JsonStreamContext context = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY
                        ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                if (context == null || (token != JsonToken.FIELD_NAME && !context.inArray())) {
                    continue;
                }
                String path = context.pathAsPointer().toString();
                locations.putIfAbsent(path, parser.currentTokenLocation());
            }
        } catch (IOException e) {
            // The mapper read the same text without error; an error here only loses line numbers.
        }
        return locations;
    }

    private static String describe(JsonProcessingException e, String source, Map<String, JsonLocation> locations) {
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content to map")) {
            return source + ": the file holds no topology";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException syntax && syntax.getProblemMark() != null) {
                Mark mark = syntax.getProblemMark();
                return source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": not valid YAML: "
                        + syntax.getProblem();
            }
        }
        JsonLocation location = e.getLocation();
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        boolean duplicate = original.startsWith("Duplicate field '");
        if (e instanceof JsonMappingException mapping && !path(mapping).isEmpty() && !duplicate) {
            // Where the key (or list element) starts, rather than where the parser had got to.
            JsonLocation key = locations.get(pointer(path(mapping)));
            location = key != null ? key : location;
        }
        String at = location == null || location.getLineNr() < 0
                ? source + ": "
                : source + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
        String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String prefix = at + (path.isEmpty() ? "" : path + ": ");
        if (duplicate) {
            String key = original.substring("Duplicate field '".length(), original.indexOf('\'', 17));
            return prefix + "duplicate key '" + key + "'";
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return at + "not valid YAML: " + firstLine(original);
        }
        return switch (mapping) {
            case UnrecognizedPropertyException unknown ->
                prefix + "unknown key '" + unknown.getPropertyName() + "' (expected one of: "
                        + String.join(", ", sorted(unknown.getKnownPropertyIds())) + ")";
            case InvalidTypeIdException type ->
                prefix + "unknown step '" + type.getTypeId() + "' (expected one of: " + String.join(", ", stepKinds())
                        + ")";
            case InvalidFormatException format
            when format.getTargetType() != null && format.getTargetType().isEnum() ->
                prefix + "'" + format.getValue() + "' is not one of: " + enumValues(format.getTargetType());
            case InvalidFormatException format
            when format.getTargetType() == Duration.class -> prefix + format.getOriginalMessage();
            case InvalidFormatException format ->
                prefix + "'" + format.getValue() + "' is not " + kind(format.getTargetType());
            case MismatchedInputException mismatch
            when mismatch.getTargetType() != null -> prefix + "expected " + kind(mismatch.getTargetType());
            default -> prefix + firstLine(mapping.getOriginalMessage());
        };
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            String step = stepName(reference.getFrom());
            if (step != null) {
                // Inside a step the key that names its kind is part of the path, as in the file.
                path.append('.').append(step);
            }
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The script key of a step class, or null for anything else. */
    private static String stepName(Object from) {
        Class<?> type = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
        if (type == null || !Step.class.isAssignableFrom(type)) {
            return null;
        }
        for (JsonSubTypes.Type subtype :
                Step.class.getAnnotation(JsonSubTypes.class).value()) {
            if (subtype.value() == type) {
                return subtype.name();
            }
        }
        return null;
    }

    private static TreeSet<String> sorted(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        for (Object id : ids) {
            names.add(String.valueOf(id));
        }
        return names;
    }

    private static String enumValues(Class<?> type) {
        StringBuilder values = new StringBuilder();
        for (Object constant : type.getEnumConstants()) {
            if (!values.isEmpty()) {
                values.append(", ");
            }
            values.append(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
        }
        return values.toString();
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value (text)";
        }
        if (type == Duration.class) {
            return "a duration (as 300s)";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == Step.class) {
            return "a step: a map with one key, the step's kind (" + String.join(", ", stepKinds()) + ")";
        }
        return "a map of keys (" + type.getSimpleName().toLowerCase(Locale.ROOT) + ")";
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Durations as {@code 300s}, {@code 100ms}; a bare number is seconds. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.VALUE_STRING
                    && token != JsonToken.VALUE_NUMBER_INT
                    && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw MismatchedInputException.from(parser, Duration.class, "expected a duration");
            }
            String text = parser.getText();
            try {
                Duration duration = Durations.parse(text);
                if (duration.isNegative()) {
                    throw new IllegalArgumentException("'" + text + "' is negative");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                throw new InvalidFormatException(parser, e.getMessage(), text, Duration.class);
            }
        }
    }
}
