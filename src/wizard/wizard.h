/* wizard: the interactive five-step front end (ncurses). */
#ifndef PTRWIZ_WIZARD_WIZARD_H
#define PTRWIZ_WIZARD_WIZARD_H

/* Runs the wizard with the program's arguments (argv[0] is the program);
 * returns the process exit status (see cli.h). */
int wizard_main(int argc, char **argv);
/* ptrwiz report: the wizard's Markdown report of one IP without a screen
 * (argv[0] is "report"); the exit status as for the wizard. */
int wizard_report_main(int argc, char **argv);

#endif
