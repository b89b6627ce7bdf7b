package dev.offload.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a bare socket: a test sees every header exactly as sent (twice, if sent twice), and can send a
 * body that stops halfway. One request per connection.
 */
public final class RawHttp implements AutoCloseable {

    /** A response: its status, its headers in order (names in lower case), its body. */
    public record Response(int status, List<String[]> headers, byte[] body) {

        public List<String> all(String name) {
            return headers.stream().filter(h -> h[0].equals(name.toLowerCase(Locale.ROOT))).map(h -> h[1]).toList();
        }

        public String header(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.get(0);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    public RawHttp(URI base) throws IOException {
        this.socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(30_000);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.host = base.getHost() + ":" + base.getPort();
    }

    /** Sends the request line and headers (Host added); the body, if any, follows through {@link #send(byte[])}. */
    public RawHttp head(String method, String path, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads the status of the next response head, which must be an interim one (100 Continue), and its end. */
    public int interim() throws IOException {
        int status = Integer.parseInt(line().split(" ")[1]);
        while (!line().isEmpty()) {
            // an interim response has no body; its headers, if any, are skipped
        }
        return status;
    }

    /** Reads the response; the body by its Content-Length (none for HEAD, or when there is no length). */
    public Response response(boolean head) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        if (status == 100) {
            line(); // the blank line after "100 Continue"
            return response(head);
        }
        List<String[]> headers = new ArrayList<>();
        for (String line; !(line = line()).isEmpty();) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim()});
        }
        Response response = new Response(status, headers, new byte[0]);
        String length = response.header("content-length");
        if (head || length == null) {
            return response;
        }
        return new Response(status, headers, in.readNBytes(Integer.parseInt(length)));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n';) {
            if (b < 0) {
                throw new IOException("the connection closed mid-line: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
