package io.friendliflink.emulator.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fixed token list of the tiny model: 256 byte tokens, a few special tokens, then English words,
 * punctuation, digits and JSON pieces.
 *
 * <p>Ids are assigned in the order of the lists below, so they are the same in every run and on every
 * machine. Ids {@code 0..255} are the byte-fallback tokens: id {@code b} is the single byte {@code b}.
 * A byte token of the ASCII range displays as its character; a byte token {@code >= 0x80} (a piece of a
 * multi-byte character) displays as {@code <0xXX>}, SentencePiece's byte-fallback spelling. Display
 * text is only for showing a token alone; decoding always joins the raw bytes, so a character split over
 * several byte tokens comes back whole.
 */
final class Vocabulary {

    static final int BYTE_TOKENS = 256;
    static final String START = "<|start|>";
    static final String SEPARATOR = "<|sep|>";
    static final String END = "<|end|>";

    private final byte[][] bytes;
    private final String[] display;
    private final int startId;
    private final int separatorId;
    private final int endId;
    /** Word tokens with a leading space, lower case: the bulk of running text. */
    private final int[] lowerWords;
    /** Capitalized word tokens with a leading space: what follows a sentence end. */
    private final int[] capitalWords;
    /** Plain word tokens without a space, for JSON keys and string values. */
    private final String[] plainWords;
    /** {@code " A"} to {@code " D"}: what follows "Answer:" in a multiple-choice prompt. */
    private final int[] answerLetters;
    private final int comma;
    private final int period;

    static Vocabulary standard() {
        return Holder.STANDARD;
    }

    /** Built on first use, after the word lists below are initialized. */
    private static final class Holder {
        static final Vocabulary STANDARD = new Vocabulary();
    }

    private Vocabulary() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<byte[]> byteList = new ArrayList<>();
        List<String> displayList = new ArrayList<>();
        for (int b = 0; b < BYTE_TOKENS; b++) {
            byteList.add(new byte[] {(byte) b});
            displayList.add(b < 0x80 ? String.valueOf((char) b) : String.format(Locale.ROOT, "<0x%02X>", b));
        }
        for (String special : List.of(START, SEPARATOR, END)) {
            add(special, ids, byteList, displayList);
        }
        String[] words = new LinkedHashSet<>(List.of(WORDS.trim().split("\\s+"))).toArray(new String[0]);
        List<Integer> lower = new ArrayList<>();
        List<Integer> capital = new ArrayList<>();
        for (String word : words) {
            add(word, ids, byteList, displayList);
            lower.add(add(" " + word, ids, byteList, displayList));
            String cap = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            add(cap, ids, byteList, displayList);
            capital.add(add(" " + cap, ids, byteList, displayList));
        }
        List<Integer> letters = new ArrayList<>();
        for (char letter = 'A'; letter <= 'Z'; letter++) {
            letters.add(add(" " + letter, ids, byteList, displayList));
        }
        for (String piece : PIECES) {
            add(piece, ids, byteList, displayList);
        }
        for (int i = 0; i < 100; i++) {
            add(Integer.toString(i), ids, byteList, displayList);
            add(" " + i, ids, byteList, displayList);
        }
        this.bytes = byteList.toArray(new byte[0][]);
        this.display = displayList.toArray(new String[0]);
        this.startId = ids.get(START);
        this.separatorId = ids.get(SEPARATOR);
        this.endId = ids.get(END);
        this.lowerWords = lower.stream().mapToInt(Integer::intValue).toArray();
        this.capitalWords = capital.stream().mapToInt(Integer::intValue).toArray();
        this.plainWords = words;
        this.answerLetters = letters.subList(0, 4).stream().mapToInt(Integer::intValue).toArray();
        this.comma = ',';
        this.period = '.';
    }

    /** Adds {@code text} unless present (single ASCII characters already exist as byte tokens). */
    private static int add(String text, Map<String, Integer> ids, List<byte[]> byteList, List<String> displayList) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        if (raw.length == 1) {
            return raw[0] & 0xFF;
        }
        Integer known = ids.get(text);
        if (known != null) {
            return known;
        }
        int id = byteList.size();
        ids.put(text, id);
        byteList.add(raw);
        displayList.add(text);
        return id;
    }

    int size() {
        return bytes.length;
    }

    /** The raw bytes of a token; callers must not modify the array. */
    byte[] bytes(int id) {
        return bytes[id];
    }

    String display(int id) {
        return display[id];
    }

    int startId() {
        return startId;
    }

    int separatorId() {
        return separatorId;
    }

    /** The model's own end-of-sequence token; also what closes every chat turn. */
    int endId() {
        return endId;
    }

    int[] lowerWords() {
        return lowerWords;
    }

    int[] capitalWords() {
        return capitalWords;
    }

    int[] answerLetters() {
        return answerLetters;
    }

    String plainWord(int index) {
        return plainWords[Math.floorMod(index, plainWords.length)];
    }

    int plainWordCount() {
        return plainWords.length;
    }

    int comma() {
        return comma;
    }

    int period() {
        return period;
    }

    boolean isSentenceEnd(int id) {
        return id == period || id == '!' || id == '?';
    }

    private static final List<String> PIECES = List.of(
            ". ", ", ", "\n\n", "\n", "  ", "    ", "\t", "...", "--", " -", " (", ") ", ").", "),", "?\n", ".\n",
            "!\n", ":\n", ": ", "; ", " \"", "\" ", "\".", "\",", "'s", "'t", "'re", "'ll", "'ve", "'m", "'d",
            "{", "}", "[", "]", "{\"", "\"}", "\":", "\": ", "\",\"", "\", \"", "\"]", "[\"", "\":\"", "\": \"",
            "},", "},{", "}]", "[{", "\n}", "{\n", "  \"", " {", " }", " [", " ]", "true", "false", "null",
            " true", " false", " null", "://", "https", "http", "www", ".com", ".org", " $", "%", " %", " +",
            " =", " ==", " <", " >", " *", " /", "->", "=>", "</", "/>", "ing", "ed", "ly", "er", "est", "tion",
            "s", "es", "ment", "ness", "able", "ful", "less", "un", "re", "pre", "dis", " the", " The");

    /** About 560 common English words (duplicates are dropped); each also gets a leading-space, a capitalized and a "both" form. */
    private static final String WORDS = """
            the of and to a in is it you that he was for on are with as I his they be at one have this from or
            had by not word but what some we can out other were all there when up use your how said an each she
            which do their time if will way about many then them write would like so these her long make thing
            see him two has look more day could go come did number sound no most people my over know water than
            call first who may down side been now find any new work part take get place made live where after
            back little only round man year came show every good me give our under name very through just form
            sentence great think say help low line differ turn cause much mean before move right boy old too
            same tell does set three want air well also play small end put home read hand port large spell add
            even land here must big high such follow act why ask men change went light kind off need house
            picture try us again animal point mother world near build self earth father head stand own page
            should country found answer school grow study still learn plant cover food sun four between state
            keep eye never last let thought city tree cross farm hard start might story saw far sea draw left
            late run while press close night real life few north open seem together next white children begin
            got walk example ease paper group always music those both mark often letter until mile river car
            feet care second book carry took science eat room friend began idea fish mountain stop once base
            hear horse cut sure watch color face wood main enough plain girl usual young ready above ever red
            list though feel talk bird soon body dog family direct pose leave song measure door product black
            short numeral class wind question happen complete ship area half rock order fire south problem
            piece told knew pass since top whole king space heard best hour better true during hundred five
            remember step early hold west ground interest reach fast verb sing listen six table travel less
            morning ten simple several vowel toward war lay against pattern slow center love person money serve
            appear road map rain rule govern pull cold notice voice unit power town fine certain fly fall lead
            cry dark machine note wait plan figure star box noun field rest correct able pound done beauty
            drive stood contain front teach week final gave green quick develop ocean warm free minute strong
            special mind behind clear tail produce fact street inch multiply nothing course stay wheel full
            force blue object decide surface deep moon island foot system busy test record boat common gold
            possible plane stead dry wonder laugh thousand ago ran check game shape equate hot miss brought heat
            snow tire bring yes distant fill east paint language among model data value result model system
            answer question analysis report summary table score level input output request response token
            stream batch flink job cluster server client endpoint latency throughput error retry limit rate
            budget queue window state event source sink record key function tool call search file code python
            math date calendar number average mean median total count price cost user assistant message chat
            text content string integer boolean array object schema format json regex true false
            """;
}
