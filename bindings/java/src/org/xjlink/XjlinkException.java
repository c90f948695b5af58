package org.xjlink;

import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_error;

/**
 * A call into xjlink failed.  {@link #code()} is the library's (negative)
 * {@code xjl_error} code, the message the library's detailed message (what
 * was wrong and where: file, line, field, value).
 */
public class XjlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public XjlinkException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The {@code xjl_error} code, e.g. -1 for XJL_EINVAL, -4 for XJL_EIO. */
    public int code() {
        return code;
    }

    /** The code's short English name ("invalid argument", ...). */
    public String codeName() {
        for (xjl_error e : xjl_error.values())
            if (e.swigValue() == code)
                return Xjlink.xjl_strerror(e);
        return "unknown error";
    }
}
