/* keymap: which key does what. Actions and their texts live in
 * WIZ_ACTIONS (wiz.h); this table binds keys to them. */
#include "wizard/wiz.h"

struct keybind {
        int code;
        bool fn;
        enum action act;
};

static const struct keybind keymap[] = {
    {'\r', false, ACT_NEXT},
    {'\n', false, ACT_NEXT},
    {KEY_ENTER, true, ACT_NEXT},
    {'p', false, ACT_PREV},
    {KEY_BACKSPACE, true, ACT_PREV},
    {127, false, ACT_PREV},
    {8, false, ACT_PREV},
    {'\t', false, ACT_FOCUS_NEXT},
    {KEY_BTAB, true, ACT_FOCUS_PREV},
    {KEY_LEFT, true, ACT_FOCUS_LEFT},
    {KEY_RIGHT, true, ACT_FOCUS_RIGHT},
    {KEY_UP, true, ACT_UP},
    {KEY_DOWN, true, ACT_DOWN},
    {'k', false, ACT_SCROLL_UP},
    {'j', false, ACT_SCROLL_DOWN},
    {KEY_PPAGE, true, ACT_PAGE_UP},
    {KEY_NPAGE, true, ACT_PAGE_DOWN},
    {' ', false, ACT_PAGE_DOWN},
    {KEY_HOME, true, ACT_HOME},
    {'g', false, ACT_HOME},
    {KEY_END, true, ACT_END},
    {'G', false, ACT_END},
    {'r', false, ACT_RETEST},
    {'e', false, ACT_EXPORT},
    {'w', false, ACT_WATCH},
    {'s', false, ACT_SEND},
    {'i', false, ACT_EDIT},
    {'m', false, ACT_MACHINE},
    {'d', false, ACT_WHERE},
    {'f', false, ACT_WHERE_FWD},
    {'z', false, ACT_ZOOM},
    {'c', false, ACT_COPY},
    {'?', false, ACT_HELP},
    {KEY_F(1), true, ACT_HELP},
    {27, false, ACT_CANCEL},
    {'q', false, ACT_QUIT},
    {'Q', false, ACT_QUIT},
};

static const struct {
        const char *key, *word, *help;
} actions[ACT__COUNT] = {
#define WIZ_ACTION_ROW(act, key, word, help) {key, word, help},
    WIZ_ACTIONS(WIZ_ACTION_ROW)
#undef WIZ_ACTION_ROW
};

enum action keymap_action(const struct key *k)
{
        for (size_t i = 0; i < sizeof(keymap) / sizeof(keymap[0]); i++)
                if (keymap[i].code == k->code && keymap[i].fn == k->fn)
                        return keymap[i].act;
        return ACT_NONE;
}

const char *action_key(enum action a)
{
        return actions[a].key;
}

const char *action_word(enum action a)
{
        return actions[a].word;
}

const char *action_help(enum action a)
{
        return actions[a].help;
}
