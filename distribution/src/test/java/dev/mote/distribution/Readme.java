package dev.mote.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The project's README.md as its fenced code blocks, each with the line that introduces it. */
final class Readme {

    /** One fenced block: its info string ({@code java}, {@code xml}, empty), its text and the text line above it. */
    record Block(String language, String text, String caption, int line) {
    }

    private final List<Block> blocks;

    private Readme(List<Block> blocks) {
        this.blocks = blocks;
    }

    static Path projectRoot() {
        String root = System.getProperty("mote.project.root");
        return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
    }

    static Readme read() {
        try {
            return parse(Files.readAllLines(projectRoot().resolve("README.md"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Readme parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String caption = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                String language = line.substring(3).trim();
                StringBuilder text = new StringBuilder();
                int start = i + 1;
                for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(language, text.toString(), caption, start));
            } else if (!line.isBlank()) {
                caption = line.trim();
            }
        }
        return new Readme(blocks);
    }

    List<Block> blocks(String language) {
        return blocks.stream().filter(b -> b.language().equals(language)).toList();
    }

    /** The block after {@code block}. */
    Block next(Block block) {
        int i = blocks.indexOf(block);
        if (i < 0 || i + 1 >= blocks.size()) {
            throw new AssertionError("README.md has no code block after line " + block.line());
        }
        return blocks.get(i + 1);
    }

    /** The block introduced by the line {@code caption}, e.g. {@code `pom.xml`:}. */
    Block captioned(String caption) {
        return blocks.stream().filter(b -> b.caption().equals(caption)).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no code block under the line " + caption));
    }
}
